import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import {
  ChainVerifier,
  provenPhrase,
  checkpointAnchor,
  deriveCheckpointKey,
  isCheckpointSignatureValid,
  isHash,
  type ChainAnchor,
  type ChainedEvent,
  type ChainReport,
  type Checkpoint,
  type WithheldEvent,
} from "../lib/audit/chain";
import { checkpointSchema } from "../lib/audit/schema";
import { isExportHeader } from "../lib/audit/export-header";

// Verifies an export of the audit trail offline, with no database and no server:
//
//   npx tsx scripts/verify-audit-export.ts EVENTS.jsonl [--checkpoint FILE] [--partial] [--json]
//
// EVENTS.jsonl holds one event per line, in seq order, as a JSON object with the columns of
// audit_events: id, seq, prevHash, hash, occurredAt (ISO 8601), actorId, actorName, actorEmail,
// action, entityType, entityId, projectId, before, after, requestId (seq and id as numbers or
// strings). The hash of each event is recomputed with lib/audit/chain.ts, the same definition
// the server writes with. A line may also withhold an event's content, for an export filtered by
// project or dates: {"id", "seq", "prevHash", "hash", "contentHash"} keeps the chain verifiable
// across the events it leaves out. The app's exports start with a header line saying what they
// are: a filtered one ("chain": "stretch") is verified from its first event on, as a stretch of
// the chain, without being told. --partial says the same of a file without a header (or
// overrides a header that says "whole"): trust the first event's position and prevHash instead
// of expecting seq 1. --checkpoint: the chain must pass through
// the checkpoint's seq with its hash; its signature is checked when AUDIT_CHECKPOINT_SECRET (or
// AUTH_SECRET) is in the environment, and reported "unchecked" otherwise.
// Exit codes: 0 intact, 1 broken, 2 usage or unreadable input.

const USAGE = "usage: npx tsx scripts/verify-audit-export.ts EVENTS.jsonl [--checkpoint FILE] [--partial] [--json]";

class Unusable extends Error {}

type Options = { file: string; checkpoint: string | null; partial: boolean; json: boolean };

function parseArgs(argv: string[]): Options {
  const options: Options = { file: "", checkpoint: null, partial: false, json: false };
  const files: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? "";
    if (arg === "--json") options.json = true;
    else if (arg === "--partial") options.partial = true;
    else if (arg === "--checkpoint" || arg.startsWith("--checkpoint=")) {
      const value = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : argv[++index];
      if (!value) throw new Unusable("--checkpoint needs a FILE");
      options.checkpoint = value;
    } else if (arg.startsWith("-")) throw new Unusable(`unknown option "${arg}"`);
    else files.push(arg);
  }
  if (files.length !== 1 || !files[0]) throw new Unusable("give exactly one EVENTS.jsonl file");
  options.file = files[0];
  return options;
}

const nullableText = (row: Record<string, unknown>, key: string, line: number): string | null => {
  const value = row[key] ?? null;
  if (value !== null && typeof value !== "string") throw new Unusable(`line ${line}: ${key} must be a string or null`);
  return value;
};
const text = (row: Record<string, unknown>, key: string, line: number): string => {
  const value = nullableText(row, key, line);
  if (value === null) throw new Unusable(`line ${line}: ${key} is missing`);
  return value;
};
const integer = (row: Record<string, unknown>, key: string, line: number): bigint => {
  const value = row[key];
  if ((typeof value === "number" && Number.isSafeInteger(value)) || (typeof value === "string" && /^\d+$/.test(value))) return BigInt(value);
  throw new Unusable(`line ${line}: ${key} must be a whole number`);
};

/** One line of the export as an event; anything malformed is a file problem (exit 2), not a break. */
export function eventFromLine(source: string, line: number): ChainedEvent | WithheldEvent {
  let row: unknown;
  try {
    row = JSON.parse(source);
  } catch {
    throw new Unusable(`line ${line}: not JSON`);
  }
  if (typeof row !== "object" || row === null || Array.isArray(row)) throw new Unusable(`line ${line}: not a JSON object`);
  const record = row as Record<string, unknown>;
  const id = record.id === undefined || record.id === null ? null : integer(record, "id", line).toString();
  if (record.contentHash !== undefined && record.action === undefined) {
    const withheld = text(record, "contentHash", line);
    if (!isHash(withheld)) throw new Unusable(`line ${line}: contentHash must be 64 lowercase hex digits`);
    return { id, seq: integer(record, "seq", line), prevHash: text(record, "prevHash", line), hash: text(record, "hash", line), contentHash: withheld };
  }
  const occurredAt = new Date(text(record, "occurredAt", line));
  if (Number.isNaN(occurredAt.getTime())) throw new Unusable(`line ${line}: occurredAt is not a time`);
  return {
    id,
    seq: integer(record, "seq", line),
    prevHash: text(record, "prevHash", line),
    hash: text(record, "hash", line),
    occurredAt,
    actorId: nullableText(record, "actorId", line),
    actorName: nullableText(record, "actorName", line),
    actorEmail: nullableText(record, "actorEmail", line),
    action: text(record, "action", line),
    entityType: text(record, "entityType", line),
    entityId: nullableText(record, "entityId", line),
    projectId: nullableText(record, "projectId", line),
    before: record.before ?? null,
    after: record.after ?? null,
    requestId: nullableText(record, "requestId", line),
  };
}

function isHeaderLine(source: string): boolean {
  try {
    return isExportHeader(JSON.parse(source));
  } catch {
    return false;
  }
}

async function readCheckpoint(file: string): Promise<{ checkpoint: Checkpoint; signature: "valid" | "unchecked" }> {
  const raw = await readFile(file, "utf8").catch(() => {
    throw new Unusable(`${file}: cannot be read`);
  });
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Unusable(`${file}: not JSON`);
  }
  const parsed = checkpointSchema.safeParse(value);
  if (!parsed.success) throw new Unusable(`${file}: not a checkpoint (${parsed.error.issues.map((issue) => `${issue.path.join(".") || "checkpoint"}: ${issue.message}`).join("; ")})`);
  const secret = process.env.AUDIT_CHECKPOINT_SECRET?.trim() || process.env.AUTH_SECRET?.trim();
  if (!secret) return { checkpoint: parsed.data, signature: "unchecked" };
  if (!isCheckpointSignatureValid(parsed.data, deriveCheckpointKey(secret))) {
    throw new Unusable(`${file}: the signature does not match: the checkpoint was altered, or the secret is not the one it was signed with`);
  }
  return { checkpoint: parsed.data, signature: "valid" };
}

export type ExportReport = ChainReport & {
  file: string;
  /** Set when the file was verified as a stretch of the chain: the seq it starts at. */
  stretchFrom?: string;
  checkpoint?: { seq: number; hash: string; signature: "valid" | "unchecked" };
};

export async function verifyExport(options: Options): Promise<ExportReport> {
  const checkpoint = options.checkpoint ? await readCheckpoint(options.checkpoint) : null;
  const anchors: ChainAnchor[] = checkpoint ? [checkpointAnchor(checkpoint.checkpoint)] : [];
  const input = createReadStream(options.file, { encoding: "utf8" });
  const opened = new Promise<void>((resolve, reject) => {
    input.once("open", () => resolve());
    input.once("error", (error) => reject(new Unusable(`${options.file}: ${"code" in error && error.code === "ENOENT" ? "no such file" : "cannot be read"}`)));
  });
  await opened;
  let partial = options.partial;
  let verifier: ChainVerifier | null = null;
  let stretchFrom: string | undefined;
  let line = 0;
  for await (const source of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    if (source.trim() === "") continue;
    if (line === 1 && isHeaderLine(source)) {
      partial ||= (JSON.parse(source) as { chain?: unknown }).chain === "stretch";
      continue;
    }
    if (!partial) verifier ??= new ChainVerifier({ anchors });
    const event = eventFromLine(source, line);
    if (!verifier) {
      stretchFrom = event.seq.toString();
      verifier = new ChainVerifier({ start: { seq: event.seq - 1n, hash: event.prevHash }, anchors });
    }
    if (!verifier.push(event)) break;
  }
  input.destroy();
  const report = (verifier ?? new ChainVerifier({ anchors })).finish();
  return { file: options.file, ...report, ...(stretchFrom ? { stretchFrom } : {}), ...(checkpoint ? { checkpoint: { seq: checkpoint.checkpoint.seq, hash: checkpoint.checkpoint.hash, signature: checkpoint.signature } } : {}) };
}

function summarize(report: ExportReport): string {
  if (!report.ok && report.firstBroken) {
    const { seq, id, reason, message } = report.firstBroken;
    return `${report.file}: audit chain BROKEN at seq ${seq}${id ? ` (event id ${id})` : ""}: ${reason}: ${message} (${provenPhrase(report)})`;
  }
  const checkpoint = report.checkpoint ? `; checkpoint seq ${report.checkpoint.seq} found with its hash (signature ${report.checkpoint.signature})` : "";
  const withheld = report.withheld ? ` (${report.withheld} with their content withheld)` : "";
  const stretch = report.stretchFrom ? ` (a stretch of the chain, from seq ${report.stretchFrom})` : "";
  return `${report.file}: audit chain intact${stretch}: ${report.checked} events${withheld}, through seq ${report.lastSeq}${checkpoint}`;
}

export async function main(argv: string[], output: { out: (text: string) => void; err: (text: string) => void }): Promise<number> {
  try {
    const options = parseArgs(argv);
    const report = await verifyExport(options);
    output.out(options.json ? JSON.stringify(report) : summarize(report));
    if (report.checkpoint?.signature === "unchecked" && !options.json) {
      output.err("note: the checkpoint's signature was not checked (set AUDIT_CHECKPOINT_SECRET or AUTH_SECRET to check it)");
    }
    return report.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof Unusable) {
      output.err(`error: ${error.message}\n${USAGE}`);
      return 2;
    }
    // A read failing midway (e.g. a directory given as the file) is still "unreadable input".
    output.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  process.exitCode = await main(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  });
}
