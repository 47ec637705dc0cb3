import { randomUUID } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { areas, type Area, type ChecklistItemData } from "@/lib/checklists/types";
import { DEFAULT_MAX_IMPORT_BYTES, ImportError, tooLargeError } from "@/lib/import/markdown";
import { parseChecklistMarkdownSafely } from "@/lib/import/safe-parse";
import { AUDIT_USAGE, parseAuditArgs, runAuditCli, type AuditCommand } from "./cli-audit";
import { parseUserArgs, runUserCli, USER_USAGE, type UserCommand } from "./cli-user";
import { CHECK_USAGE, parseCheckArgs, runCheckCli, type CheckCommand } from "./cli-check";

// `npm run cli -- import FILE --dry-run [--json]`: parses a Markdown checklist without a database
// and prints what an import would create.
// `npm run cli -- import FILE --project SLUG --as EMAIL [--json]`: imports it into a project as
// that user (DATABASE_URL needed). Exit codes: 0 done, 1 bad arguments or refused by the
// project (not found, not allowed), 2 file refused.
// `npm run cli -- audit verify|checkpoint …`: the audit hash chain (scripts/cli-audit.ts).
// `npm run cli -- user create …`: a user and the link to set their password (scripts/cli-user.ts).
// `npm run cli -- openapi [--server URL]`: prints the API's OpenAPI document (no database).
// `npm run cli -- check http|tls|headers|tcp TARGET …`: one automated check, no database (scripts/cli-check.ts).

export const USAGE = [
  "usage: npm run cli -- import FILE --dry-run [--json]",
  "       npm run cli -- import FILE --project SLUG --as EMAIL",
  AUDIT_USAGE,
  USER_USAGE,
  "       npm run cli -- openapi [--server URL]",
  CHECK_USAGE,
].join("\n");

export type CliCommand =
  | { kind: "help" }
  | { kind: "openapi"; server: string | null }
  | CheckCommand
  | { kind: "import"; file: string; json: boolean; dryRun: true }
  | { kind: "import"; file: string; json: boolean; dryRun: false; project: string; as: string }
  | AuditCommand
  | UserCommand;

/** exitCode: what a usage error exits with when not 1 (the audit commands use 2). */
export type ParsedArgs = { ok: true; command: CliCommand } | { ok: false; error: string; exitCode?: number };

/** Reads the command line (without `node script`); pure, so it is tested on its own. */
export function parseCliArgs(argv: string[]): ParsedArgs {
  if (argv.length === 0) return { ok: false, error: "missing command" };
  if (argv.includes("--help") || argv.includes("-h")) return { ok: true, command: { kind: "help" } };
  const [command, ...rest] = argv;
  if (command === "audit") {
    const parsed = parseAuditArgs(rest);
    return parsed.ok ? parsed : { ...parsed, exitCode: 2 };
  }
  if (command === "user") {
    const parsed = parseUserArgs(rest);
    return parsed.ok ? parsed : { ...parsed, exitCode: 2 };
  }
  if (command === "openapi") return parseOpenApiArgs(rest);
  if (command === "check") return parseCheckArgs(rest);
  if (command !== "import") return { ok: false, error: `unknown command "${command}"` };

  const files: string[] = [];
  const flags = { dryRun: false, json: false, project: undefined as string | undefined, as: undefined as string | undefined };
  for (let index = 0; index < rest.length; index++) {
    const arg = rest[index] ?? "";
    const [name, inlineValue] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (name === "--dry-run" || name === "--json") {
      if (inlineValue !== undefined) return { ok: false, error: `${name} takes no value` };
      if (name === "--dry-run") flags.dryRun = true;
      else flags.json = true;
    } else if (name === "--project" || name === "--as") {
      const value = inlineValue ?? rest[++index];
      if (value === undefined || value === "" || (inlineValue === undefined && value.startsWith("--"))) {
        return { ok: false, error: `${name} needs a value` };
      }
      flags[name === "--project" ? "project" : "as"] = value;
    } else if (name.startsWith("-") && name !== "-") {
      return { ok: false, error: `unknown option "${name}"` };
    } else {
      files.push(arg);
    }
  }

  const [file] = files;
  if (file === undefined) return { ok: false, error: "import needs a FILE" };
  if (files.length > 1) return { ok: false, error: "import takes one FILE" };
  if (flags.dryRun) return { ok: true, command: { kind: "import", file, json: flags.json, dryRun: true } };
  if (flags.project === undefined || flags.as === undefined) {
    return { ok: false, error: "import needs --dry-run, or --project SLUG and --as EMAIL" };
  }
  return { ok: true, command: { kind: "import", file, json: flags.json, dryRun: false, project: flags.project, as: flags.as } };
}

function parseOpenApiArgs(rest: string[]): ParsedArgs {
  if (rest.length === 0) return { ok: true, command: { kind: "openapi", server: null } };
  const [name, value, ...extra] = rest[0]?.startsWith("--server=") ? ["--server", rest[0].slice("--server=".length), ...rest.slice(1)] : rest;
  if (name !== "--server" || extra.length > 0) return { ok: false, error: "openapi takes only --server URL", exitCode: 2 };
  if (!value || !URL.canParse(value)) return { ok: false, error: "--server needs a URL", exitCode: 2 };
  return { ok: true, command: { kind: "openapi", server: new URL(value).origin } };
}

export type DryRunSummary = {
  file: string;
  title: string | null;
  sections: number;
  items: number;
  checked: number;
  maxDepth: number;
  areas: Record<Area, number>;
};

/** A file the CLI cannot use: printed as one line, exit code 2. */
class RefusedFile extends Error {}

async function readChecklistFile(file: string): Promise<Uint8Array> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new RefusedFile(`${file}: is a directory`);
    // Refused before reading, so a huge file is never loaded into memory.
    if (info.size > DEFAULT_MAX_IMPORT_BYTES) throw tooLargeError(info.size, DEFAULT_MAX_IMPORT_BYTES);
    return await readFile(file);
  } catch (error) {
    if (error instanceof RefusedFile || error instanceof ImportError) throw error;
    const code = error instanceof Error && "code" in error ? String(error.code) : "";
    const reason: Record<string, string> = { ENOENT: "no such file", EACCES: "permission denied", EISDIR: "is a directory" };
    throw new RefusedFile(`${file}: ${reason[code] ?? `cannot be read (${code || "unknown error"})`}`);
  }
}

export async function dryRunImport(file: string): Promise<DryRunSummary> {
  const { checklist, stats } = await parseChecklistMarkdownSafely(await readChecklistFile(file));
  const counts = Object.fromEntries(areas.map((area) => [area, 0])) as Record<Area, number>;
  const visit = (items: ChecklistItemData[]) => {
    for (const item of items) {
      counts[item.area] += 1;
      visit(item.children);
    }
  };
  for (const section of checklist.sections) visit(section.items);
  return { file, title: checklist.title, ...stats, areas: counts };
}

function humanSummary(summary: DryRunSummary): string {
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
  return [
    `${summary.file}${summary.title ? `: ${summary.title}` : ""}`,
    `${plural(summary.sections, "section")}, ${plural(summary.items, "item")} (${summary.checked} checked), nesting depth ${summary.maxDepth}`,
    `areas: ${areas.map((area) => `${area} ${summary.areas[area]}`).join(", ")}`,
    "Dry run: nothing was imported.",
  ].join("\n");
}

type Output = { out: (text: string) => void; err: (text: string) => void };

const oneLine = (text: string) => text.replace(/\s*[\r\n]+\s*/g, " ");

/**
 * Imports FILE into a project as the user named by --as, through the same service as the web
 * and the API (authorization, one transaction, audit event). Needs DATABASE_URL.
 */
async function importIntoProject(command: Extract<CliCommand, { dryRun: false }>, output: Output): Promise<number> {
  const bytes = await readChecklistFile(command.file);
  if (!process.env.DATABASE_URL) {
    output.err("error: DATABASE_URL is not set: importing into a project needs the database");
    return 1;
  }
  const { closeDb } = await import("@/lib/db");
  const { AppError } = await import("@/lib/errors");
  const { loadActorByEmail } = await import("@/lib/users/data");
  const { getProjectForActor } = await import("@/lib/projects/data");
  const { importChecklist } = await import("@/lib/checklists/mutations");
  try {
    const actor = await loadActorByEmail(command.as);
    if (!actor) {
      output.err(`error: no active user with the email ${command.as}`);
      return 1;
    }
    const ctx = { actor, requestId: `cli-${randomUUID()}` };
    const project = await getProjectForActor(actor, command.project);
    const summary = await importChecklist(ctx, { projectId: project.id, markdown: bytes, source: path.basename(command.file) });
    output.out(command.json ? JSON.stringify({ file: command.file, project: project.slug, ...summary }) : `Imported ${summary.items} items in ${summary.sections} sections (${summary.checked} checked) into ${project.slug}.`);
    return 0;
  } catch (error) {
    // The importer's refusals arrive as INVALID_INPUT from the service: still "file refused".
    if (error instanceof AppError && error.code === "INVALID_INPUT") throw new RefusedFile(`${command.file}: ${error.message}`);
    if (error instanceof AppError) {
      output.err(`error: ${oneLine(error.message)}`);
      return 1;
    }
    throw error;
  } finally {
    await closeDb();
  }
}

/** Runs the CLI and returns its exit code. */
export async function runCli(argv: string[], output: Output): Promise<number> {
  const parsed = parseCliArgs(argv);
  if (!parsed.ok) {
    output.err(`error: ${parsed.error}\n${USAGE}`);
    return parsed.exitCode ?? 1;
  }
  const { command } = parsed;
  if (command.kind === "help") {
    output.out(USAGE);
    return 0;
  }
  if (command.kind === "check") return runCheckCli(command, output);
  if (command.kind === "openapi") {
    const { openApiDocument } = await import("@/lib/rest/openapi");
    output.out(JSON.stringify(openApiDocument(command.server ?? undefined), null, 2));
    return 0;
  }
  if (command.kind === "audit-verify" || command.kind === "audit-checkpoint") return runAuditCli(command, output);
  if (command.kind === "user-create" || command.kind === "user-link") return runUserCli(command, output);
  try {
    if (!command.dryRun) return await importIntoProject(command, output);
    const summary = await dryRunImport(command.file);
    output.out(command.json ? JSON.stringify(summary) : humanSummary(summary));
    return 0;
  } catch (error) {
    if (error instanceof ImportError) {
      output.err(`error: ${oneLine(`${command.file}: ${error.message}`)}`);
      return 2;
    }
    if (error instanceof RefusedFile) {
      output.err(`error: ${oneLine(error.message)}`);
      return 2;
    }
    throw error;
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  process.exitCode = await runCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  });
}
