import { readFile, writeFile } from "node:fs/promises";
import { provenPhrase, type Checkpoint } from "@/lib/audit/chain";
import type { VerifyReport } from "@/lib/audit/verify";

// `npm run cli -- audit verify [--checkpoint FILE] [--json]`: verifies the whole audit hash chain
// in the database (DATABASE_URL), and with a checkpoint also that the chain still passes through
// it. Exit codes: 0 intact, 1 broken, 2 usage, configuration, file or connection errors.
// `npm run cli -- audit checkpoint [--out FILE]`: verifies the chain, then prints (or writes) a
// checkpoint of its newest event signed with this installation's key (AUDIT_CHECKPOINT_SECRET,
// else AUTH_SECRET). Exit codes: 0 written, 1 the chain is broken, 2 anything else.
// Whoever runs these has the database and the secrets already: there is no --as.

export const AUDIT_USAGE = [
  "       npm run cli -- audit verify [--checkpoint FILE] [--json]",
  "       npm run cli -- audit checkpoint [--out FILE]",
].join("\n");

export type AuditCommand = { kind: "audit-verify"; checkpoint: string | null; json: boolean } | { kind: "audit-checkpoint"; out: string | null };

export type ParsedAuditArgs = { ok: true; command: AuditCommand } | { ok: false; error: string };

/** Reads `audit …` arguments (after the word audit). Pure. */
export function parseAuditArgs(argv: string[]): ParsedAuditArgs {
  const [sub, ...rest] = argv;
  if (sub !== "verify" && sub !== "checkpoint") return { ok: false, error: sub === undefined ? "audit needs verify or checkpoint" : `unknown audit command "${sub}"` };
  const allowed = sub === "verify" ? ["--checkpoint", "--json"] : ["--out"];
  const flags: { checkpoint: string | null; out: string | null; json: boolean } = { checkpoint: null, out: null, json: false };
  for (let index = 0; index < rest.length; index++) {
    const arg = rest[index] ?? "";
    const [name, inlineValue] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (!allowed.includes(name)) return { ok: false, error: name.startsWith("-") ? `unknown option "${name}" for audit ${sub}` : `audit ${sub} takes no argument "${name}"` };
    if (name === "--json") {
      if (inlineValue !== undefined) return { ok: false, error: "--json takes no value" };
      flags.json = true;
      continue;
    }
    const value = inlineValue ?? rest[++index];
    if (value === undefined || value === "" || (inlineValue === undefined && value.startsWith("--"))) return { ok: false, error: `${name} needs a FILE` };
    flags[name === "--checkpoint" ? "checkpoint" : "out"] = value;
  }
  return sub === "verify"
    ? { ok: true, command: { kind: "audit-verify", checkpoint: flags.checkpoint, json: flags.json } }
    : { ok: true, command: { kind: "audit-checkpoint", out: flags.out } };
}

type Output = { out: (text: string) => void; err: (text: string) => void };

const oneLine = (text: string) => text.replace(/\s*[\r\n]+\s*/g, " ");
const short = (hash: string) => `${hash.slice(0, 12)}…`;

/** A failure that is the caller's or the environment's, not the chain's: exit 2. */
class Unusable extends Error {}

export function summarize(report: VerifyReport): string {
  if (!report.ok && report.firstBroken) {
    const { seq, id, reason, message } = report.firstBroken;
    return `audit chain BROKEN at seq ${seq}${id ? ` (event id ${id})` : ""}: ${reason}: ${message} (${provenPhrase(report)})`;
  }
  const range = report.lastSeq === 0 ? "no events yet" : `${report.checked} events, seq 1–${report.lastSeq}, last hash ${short(report.lastHash)}`;
  const checkpoint = report.checkpoint ? `; checkpoint seq ${report.checkpoint.seq} found with its hash` : "";
  return `audit chain intact: ${range}${checkpoint}`;
}

async function readCheckpointFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = error instanceof Error && "code" in error ? String(error.code) : "";
    throw new Unusable(`${file}: ${code === "ENOENT" ? "no such file" : `cannot be read (${code || "unknown error"})`}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Unusable(`${file}: not JSON`);
  }
}

export async function runAuditCli(command: AuditCommand, output: Output): Promise<number> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    output.err("error: DATABASE_URL is not set: the audit chain is in the database");
    return 2;
  }
  const { createPrismaClient, LONG_DATABASE_LIMITS } = await import("@/lib/db");
  const { AppError } = await import("@/lib/errors");
  const { EnvError } = await import("@/lib/env");
  const { verifyAuditChain, createAuditCheckpoint } = await import("@/lib/audit/verify");
  const { parseSignedCheckpoint } = await import("@/lib/audit/checkpoint");
  // A client of its own: the app's would need AUTH_SECRET just to connect.
  const client = createPrismaClient(databaseUrl, 2, LONG_DATABASE_LIMITS);
  try {
    if (command.kind === "audit-verify") {
      let checkpoint: Checkpoint | undefined;
      if (command.checkpoint !== null) {
        const raw = await readCheckpointFile(command.checkpoint);
        try {
          checkpoint = parseSignedCheckpoint(raw);
        } catch (error) {
          if (error instanceof AppError) throw new Unusable(`${command.checkpoint}: ${error.message}`);
          throw error;
        }
      }
      const report = await verifyAuditChain({ client, ...(checkpoint ? { checkpoint } : {}) });
      output.out(command.json ? JSON.stringify(report) : summarize(report));
      return report.ok ? 0 : 1;
    }
    const { checkpoint } = await createAuditCheckpoint({ client });
    const text = JSON.stringify(checkpoint, null, 2);
    if (command.out === null) {
      output.out(text);
    } else {
      await writeFile(command.out, `${text}\n`, { flag: "wx" }).catch((error: unknown) => {
        const code = error instanceof Error && "code" in error ? String(error.code) : "";
        throw new Unusable(`${command.out}: ${code === "EEXIST" ? "already exists (a checkpoint is never overwritten)" : `cannot be written (${code || "unknown error"})`}`);
      });
      output.out(`Checkpoint of seq ${checkpoint.seq} (hash ${short(checkpoint.hash)}) written to ${command.out}. Keep it outside this server and its database.`);
    }
    return 0;
  } catch (error) {
    if (error instanceof Unusable || error instanceof EnvError) {
      output.err(`error: ${oneLine(error.message)}`);
      return 2;
    }
    if (error instanceof AppError) {
      // createAuditCheckpoint refuses a broken chain (1) and an empty one (2).
      const broken = error.code === "CONFLICT" && error.data?.report !== undefined;
      output.err(`error: ${oneLine(error.message)}`);
      return broken ? 1 : 2;
    }
    output.err(`error: cannot verify the audit chain: ${oneLine(error instanceof Error ? error.message : String(error))}`);
    return 2;
  } finally {
    await client.$disconnect().catch(() => undefined);
  }
}
