import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseCliArgs } from "@/scripts/cli";

// The CLI as a person runs it: a real process, through tsx, with its exit code and output.

const root = process.cwd();
const tsx = path.join(root, "node_modules/tsx/dist/cli.mjs");
const scratch = mkdtempSync(path.join(tmpdir(), "shipshape-cli-"));

function scratchFile(name: string, content: string | Uint8Array): string {
  const file = path.join(scratch, name);
  writeFileSync(file, content);
  return file;
}

function runCli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsx, "scripts/cli.ts", ...args], { cwd: root, env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe.concurrent("npm run cli -- import FILE --dry-run", { timeout: 30_000 }, () => {
  it("prints one JSON object with the counts and exits 0", async () => {
    const file = path.resolve(root, "../shared/corpus/05_gitlab-operational-readiness.md");
    const { code, stdout, stderr } = await runCli("import", file, "--dry-run", "--json");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({ file, title: null, sections: 5, items: 64, checked: 0, maxDepth: 3 });
    expect(Object.values(summary.areas as Record<string, number>).reduce((sum, count) => sum + count, 0)).toBe(64);
    expect(stdout.trim().split("\n")).toHaveLength(1);
  });

  it("prints a short summary without --json", async () => {
    const file = scratchFile("ok.md", "# Launch\n\n## Database\n\n- [x] Backups tested\n  - [ ] Restore drill\n");
    const { code, stdout } = await runCli("import", file, "--dry-run");
    expect(code).toBe(0);
    expect(stdout).toBe(
      `${file}: Launch\n1 section, 2 items (1 checked), nesting depth 2\nareas: DEVOPS 0, DBA 2, SECURITY 0, GENERAL 0\nDry run: nothing was imported.\n`,
    );
  });

  it.each([
    ["not UTF-8", "bad.md", new Uint8Array([0x2d, 0x20, 0x5b, 0x20, 0x5d, 0x20, 0xff, 0x0a]), "The file is not UTF-8 text."],
    ["without items", "empty.md", "# Nothing to do\n", "No task items found: a checklist needs lines like `- [ ] Do this`."],
    ["too large", "big.md", `- [ ] x\n<!--${"a".repeat(1_468_000)}-->\n`, "The file is 1.4 MB; the limit is 1 MB."],
  ])("refuses a file %s: exit 2 and one line on stderr", async (_, name, content, message) => {
    const file = scratchFile(name, content);
    const { code, stdout, stderr } = await runCli("import", file, "--dry-run", "--json");
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(`error: ${file}: ${message}\n`);
  });

  it("refuses a missing file and a directory: exit 2", async () => {
    const missing = await runCli("import", path.join(scratch, "nope.md"), "--dry-run");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`error: ${path.join(scratch, "nope.md")}: no such file\n`);
    const directory = await runCli("import", scratch, "--dry-run");
    expect(directory.code).toBe(2);
    expect(directory.stderr).toBe(`error: ${scratch}: is a directory\n`);
  });

  it("exits 1 with usage for bad arguments; a project import refuses a missing file before touching a database", async () => {
    const bad = await runCli("import", "--dry-run");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: import needs a FILE\nusage: npm run cli -- import FILE --dry-run \[--json\]\n/);
    const noActor = await runCli("import", "x.md", "--project", "shop");
    expect(noActor.code).toBe(1);
    expect(noActor.stderr).toMatch(/^error: import needs --dry-run, or --project SLUG and --as EMAIL\n/);
    const missing = await runCli("import", "no-such-file.md", "--project", "shop", "--as", "ada@example.com");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("error: no-such-file.md: no such file\n");
  });
});

describe("parseCliArgs", () => {
  it("reads a dry run, with or without --json, options in any order", () => {
    expect(parseCliArgs(["import", "a.md", "--dry-run"])).toEqual({ ok: true, command: { kind: "import", file: "a.md", json: false, dryRun: true } });
    expect(parseCliArgs(["import", "--json", "--dry-run", "a.md"])).toEqual({
      ok: true,
      command: { kind: "import", file: "a.md", json: true, dryRun: true },
    });
  });

  it("reads an import into a project, with `--flag value` or `--flag=value`", () => {
    const expected = { ok: true, command: { kind: "import", file: "a.md", json: false, dryRun: false, project: "shop", as: "ada@example.com" } };
    expect(parseCliArgs(["import", "a.md", "--project", "shop", "--as", "ada@example.com"])).toEqual(expected);
    expect(parseCliArgs(["import", "--project=shop", "--as=ada@example.com", "a.md"])).toEqual(expected);
  });

  it("refuses what it does not understand", () => {
    expect(parseCliArgs([])).toEqual({ ok: false, error: "missing command" });
    expect(parseCliArgs(["export", "a.md"])).toEqual({ ok: false, error: 'unknown command "export"' });
    expect(parseCliArgs(["import", "a.md", "--dry-run", "--force"])).toEqual({ ok: false, error: 'unknown option "--force"' });
    expect(parseCliArgs(["import", "a.md", "b.md", "--dry-run"])).toEqual({ ok: false, error: "import takes one FILE" });
    expect(parseCliArgs(["import", "a.md"])).toEqual({ ok: false, error: "import needs --dry-run, or --project SLUG and --as EMAIL" });
    expect(parseCliArgs(["import", "a.md", "--project", "shop"])).toEqual({ ok: false, error: "import needs --dry-run, or --project SLUG and --as EMAIL" });
    expect(parseCliArgs(["import", "a.md", "--project", "--as", "x"])).toEqual({ ok: false, error: "--project needs a value" });
    expect(parseCliArgs(["import", "a.md", "--dry-run=yes"])).toEqual({ ok: false, error: "--dry-run takes no value" });
    expect(parseCliArgs(["--help"])).toEqual({ ok: true, command: { kind: "help" } });
  });
});
