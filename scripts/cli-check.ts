import { readFile } from "node:fs/promises";
import { CheckRefused, headerNames, runCheck, type CheckSpec, type HeaderName } from "@/lib/checks/run";

// `npm run cli -- check http|tls|headers|tcp TARGET [options] [--json]`: runs one automated check
// without a database and prints its result. Exit codes: 0 passed, 1 failed, 2 could not run (bad
// arguments, a refused target). Loopback and private targets need --allow-private.

export const CHECK_USAGE = [
  "       npm run cli -- check http URL [--status N] [--contains TEXT] [--json-pointer /a/b --equals VALUE] [--timeout MS] [--allow-private] [--json]",
  "       npm run cli -- check tls HOST[:PORT] [--min-days N] [--ca FILE] [--timeout MS] [--allow-private] [--json]",
  "       npm run cli -- check headers URL [--require hsts,csp,nosniff,frame,referrer] [--hsts-min-age SECONDS] [--timeout MS] [--allow-private] [--json]",
  "       npm run cli -- check tcp HOST:PORT [--closed] [--timeout MS] [--allow-private] [--json]",
].join("\n");

export type CheckCommand = { kind: "check"; spec: CheckSpec; caFile: string | null; allowPrivate: boolean; json: boolean };
type Parsed = { ok: true; command: CheckCommand } | { ok: false; error: string; exitCode: number };

const VALUED = new Set(["--status", "--contains", "--json-pointer", "--equals", "--timeout", "--min-days", "--ca", "--require", "--hsts-min-age"]);
const FLAGS = new Set(["--allow-private", "--json", "--closed"]);
const ONE_YEAR = 31_536_000;

function hostPort(text: string, defaultPort?: number): { host: string; port: number } | null {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(text);
  const port = match?.[2] ? Number(match[2]) : defaultPort;
  if (!match?.[1] || port === undefined || port < 1 || port > 65_535) return null;
  return { host: match[1].replace(/^\[|\]$/g, ""), port };
}

export function parseCheckArgs(argv: string[]): Parsed {
  const fail = (error: string): Parsed => ({ ok: false, error, exitCode: 2 });
  const [kind, target, ...rest] = argv;
  if (kind !== "http" && kind !== "tls" && kind !== "headers" && kind !== "tcp") return fail("check needs a kind: http, tls, headers or tcp");
  if (!target || target.startsWith("--")) return fail(`check ${kind} needs a target`);
  const values: Record<string, string> = {};
  const flags = new Set<string>();
  for (let index = 0; index < rest.length; index++) {
    const arg = rest[index] ?? "";
    const [name, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (FLAGS.has(name) && inline === undefined) flags.add(name);
    else if (VALUED.has(name)) {
      const value = inline ?? rest[++index];
      if (value === undefined) return fail(`${name} needs a value`);
      values[name] = value;
    } else return fail(`unknown option "${arg}"`);
  }
  const number = (name: string, fallback: number, min: number, max: number): number | string => {
    if (values[name] === undefined) return fallback;
    const value = Number(values[name]);
    return Number.isInteger(value) && value >= min && value <= max ? value : `${name} must be a whole number from ${min} to ${max}`;
  };
  const timeoutMs = number("--timeout", 10_000, 100, 120_000);
  if (typeof timeoutMs === "string") return fail(timeoutMs);
  let spec: CheckSpec;
  if (kind === "http" || kind === "headers") {
    if (!URL.canParse(target)) return fail(`${target} is not a URL`);
    if (kind === "http") {
      const expectStatus = number("--status", 200, 100, 599);
      if (typeof expectStatus === "string") return fail(expectStatus);
      if (values["--equals"] !== undefined && values["--json-pointer"] === undefined) return fail("--equals needs --json-pointer");
      spec = { kind, url: target, expectStatus, timeoutMs, ...(values["--contains"] !== undefined ? { bodyContains: values["--contains"] } : {}), ...(values["--json-pointer"] !== undefined ? { jsonPointer: values["--json-pointer"] } : {}), ...(values["--equals"] !== undefined ? { equals: values["--equals"] } : {}) };
    } else {
      const hstsMinMaxAge = number("--hsts-min-age", ONE_YEAR, 0, 10 * ONE_YEAR);
      if (typeof hstsMinMaxAge === "string") return fail(hstsMinMaxAge);
      const wanted = (values["--require"] ?? headerNames.join(",")).split(",").map((name) => name.trim()).filter(Boolean);
      const unknown = wanted.filter((name) => !(headerNames as readonly string[]).includes(name));
      if (unknown.length > 0 || wanted.length === 0) return fail(`--require takes ${headerNames.join(", ")}`);
      spec = { kind, url: target, hstsMinMaxAge, require: wanted as HeaderName[], timeoutMs };
    }
  } else {
    const parsed = hostPort(target, kind === "tls" ? 443 : undefined);
    if (!parsed) return fail(kind === "tls" ? `${target} is not HOST[:PORT]` : `${target} is not HOST:PORT`);
    if (kind === "tls") {
      const minDaysLeft = number("--min-days", 14, 0, 3650);
      if (typeof minDaysLeft === "string") return fail(minDaysLeft);
      spec = { kind, ...parsed, minDaysLeft, timeoutMs };
    } else {
      spec = { kind, ...parsed, expect: flags.has("--closed") ? "closed" : "open", timeoutMs };
    }
  }
  if (flags.has("--closed") && kind !== "tcp") return fail("--closed is for tcp checks");
  return { ok: true, command: { kind: "check", spec, caFile: values["--ca"] ?? null, allowPrivate: flags.has("--allow-private"), json: flags.has("--json") } };
}

type Output = { out: (text: string) => void; err: (text: string) => void };

export async function runCheckCli(command: CheckCommand, output: Output): Promise<number> {
  let spec = command.spec;
  if (command.caFile) {
    if (spec.kind !== "tls") {
      output.err("error: --ca is for tls checks");
      return 2;
    }
    try {
      spec = { ...spec, ca: await readFile(command.caFile, "utf8") };
    } catch {
      output.err(`error: ${command.caFile}: cannot be read`);
      return 2;
    }
  }
  try {
    const result = await runCheck(spec, { allowPrivate: command.allowPrivate });
    const { durationMs: _duration, ...printed } = result;
    if (command.json) output.out(JSON.stringify(printed));
    else output.out([`${result.ok ? "PASS" : "FAIL"} ${result.kind} ${result.target}`, ...result.reasons.map((reason) => `  - ${reason}`), `  facts: ${JSON.stringify(result.facts)}`].join("\n"));
    return result.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof CheckRefused) {
      output.err(`error: ${error.message}${command.allowPrivate ? "" : " (loopback and private targets need --allow-private)"}`);
      return 2;
    }
    throw error;
  }
}
