import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent } from "@/lib/audit/mutations";

// `npm run cli -- audit verify|checkpoint`, run as real processes against the shared test
// database (whose chain other test files keep extending meanwhile). Exit codes: 0 intact or
// written, 1 broken (tests/db/audit-tamper.test.ts, on a database of its own), 2 usage,
// configuration, file or connection errors.

const dir = mkdtempSync(path.join(tmpdir(), "shipshape-audit-cli-"));

function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const result = spawnSync(process.execPath, [path.join("node_modules", "tsx", "dist", "cli.mjs"), "scripts/cli.ts", ...args], {
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

describe("npm run cli -- audit", () => {
  beforeAll(async () => {
    // Run alone, the shared database may hold no event yet.
    await db.$transaction((tx) => recordAuditEvent(tx, { actor: null, action: auditActions.ITEM_UPDATED, entityType: "item", requestId: "test-audit-cli" }));
  });

  it("verify: exit 0 with a one-line summary, or the report as JSON", () => {
    const summary = cli(["audit", "verify"]);
    expect(summary.stderr).toBe("");
    expect(summary.status).toBe(0);
    expect(summary.stdout).toMatch(/^audit chain intact: \d+ events, seq 1–\d+, last hash [0-9a-f]{12}…$/);

    const json = cli(["audit", "verify", "--json"]);
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ ok: true, lastHash: expect.stringMatching(/^[0-9a-f]{64}$/), head: { seq: expect.any(Number) } });
    expect(report.checked).toBe(report.lastSeq);
  });

  it("checkpoint --out FILE writes a signed checkpoint (never over an existing file); verify --checkpoint finds it", async () => {
    const file = path.join(dir, "checkpoint.json");
    const written = cli(["audit", "checkpoint", "--out", file]);
    expect(written.status).toBe(0);
    expect(written.stdout).toMatch(/^Checkpoint of seq \d+ \(hash [0-9a-f]{12}…\) written to .*checkpoint\.json\. Keep it outside this server and its database\.$/);
    const checkpoint = JSON.parse(readFileSync(file, "utf8"));
    expect(Object.keys(checkpoint)).toEqual(["seq", "hash", "occurredAt", "exportedAt", "signature"]);
    expect((await db.auditEvent.findUniqueOrThrow({ where: { seq: BigInt(checkpoint.seq) } })).hash).toBe(checkpoint.hash);
    expect(cli(["audit", "checkpoint", "--out", file])).toMatchObject({ status: 2, stderr: expect.stringContaining("already exists") });

    const verified = cli(["audit", "verify", "--checkpoint", file]);
    expect(verified.status).toBe(0);
    expect(verified.stdout).toContain(`; checkpoint seq ${checkpoint.seq} found with its hash`);

    const printed = cli(["audit", "checkpoint"]);
    expect(printed.status).toBe(0);
    expect(JSON.parse(printed.stdout).seq).toBeGreaterThanOrEqual(checkpoint.seq);

    // Signed with another secret, or altered: not usable (2), whatever the chain says.
    expect(cli(["audit", "verify", "--checkpoint", file], { AUTH_SECRET: "another secret of at least 32 characters" })).toMatchObject({
      status: 2,
      stderr: expect.stringContaining("signature does not match"),
    });
    const altered = path.join(dir, "altered.json");
    writeFileSync(altered, JSON.stringify({ ...checkpoint, hash: "0".repeat(64) }));
    expect(cli(["audit", "verify", "--checkpoint", altered]).status).toBe(2);
  });

  it("exit 2 for usage errors, unreadable checkpoints, a missing or unreachable database", () => {
    const usage = cli(["audit", "verify", "--force"]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/^error: unknown option "--force" for audit verify\nusage: npm run cli -- import FILE/);
    expect(usage.stderr).toContain("npm run cli -- audit verify [--checkpoint FILE] [--json]");
    expect(cli(["audit"]).status).toBe(2);
    expect(cli(["audit", "checkpoint", "--json"]).status).toBe(2);

    expect(cli(["audit", "verify", "--checkpoint", path.join(dir, "nope.json")])).toMatchObject({ status: 2, stderr: expect.stringMatching(/nope\.json: no such file$/) });
    writeFileSync(path.join(dir, "garbage.json"), "{");
    expect(cli(["audit", "verify", "--checkpoint", path.join(dir, "garbage.json")])).toMatchObject({ status: 2, stderr: expect.stringMatching(/garbage\.json: not JSON$/) });

    expect(cli(["audit", "verify"], { DATABASE_URL: "" })).toMatchObject({ status: 2, stderr: "error: DATABASE_URL is not set: the audit chain is in the database" });
    const down = cli(["audit", "verify"], { DATABASE_URL: "postgresql://postgres@127.0.0.1:1/none" });
    expect(down.status).toBe(2);
    expect(down.stderr).toMatch(/^error: cannot verify the audit chain: /);
    expect(down.stderr.split("\n")).toHaveLength(1);
  });
});
