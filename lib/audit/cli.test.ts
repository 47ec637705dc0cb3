import { describe, expect, it } from "vitest";
import { parseCliArgs } from "@/scripts/cli";

// The arguments of `npm run cli -- audit …` (scripts/cli-audit.ts); the commands themselves run
// against a database in tests/db/audit-cli.test.ts and tests/db/audit-tamper.test.ts.

describe("parseCliArgs: audit", () => {
  it("reads verify and checkpoint with their options", () => {
    expect(parseCliArgs(["audit", "verify"])).toEqual({ ok: true, command: { kind: "audit-verify", checkpoint: null, json: false } });
    expect(parseCliArgs(["audit", "verify", "--json", "--checkpoint=cp.json"])).toEqual({ ok: true, command: { kind: "audit-verify", checkpoint: "cp.json", json: true } });
    expect(parseCliArgs(["audit", "checkpoint", "--out", "cp.json"])).toEqual({ ok: true, command: { kind: "audit-checkpoint", out: "cp.json" } });
  });

  it("refuses the rest with exit code 2", () => {
    expect(parseCliArgs(["audit"])).toEqual({ ok: false, error: "audit needs verify or checkpoint", exitCode: 2 });
    expect(parseCliArgs(["audit", "rewrite"])).toEqual({ ok: false, error: 'unknown audit command "rewrite"', exitCode: 2 });
    expect(parseCliArgs(["audit", "verify", "--checkpoint"])).toEqual({ ok: false, error: "--checkpoint needs a FILE", exitCode: 2 });
    expect(parseCliArgs(["audit", "verify", "extra"])).toEqual({ ok: false, error: 'audit verify takes no argument "extra"', exitCode: 2 });
    expect(parseCliArgs(["audit", "checkpoint", "--checkpoint", "x"])).toEqual({ ok: false, error: 'unknown option "--checkpoint" for audit checkpoint', exitCode: 2 });
  });
});
