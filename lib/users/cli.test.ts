import { describe, expect, it } from "vitest";
import { parseCliArgs } from "@/scripts/cli";

// The arguments of `npm run cli -- user …` (scripts/cli-user.ts); the commands themselves run
// against a database in tests/db/accounts.test.ts.

describe("parseCliArgs: user", () => {
  it("reads create and link with their options", () => {
    expect(parseCliArgs(["user", "create", "--email", "ada@example.com", "--name", "Ada Lovelace", "--admin"])).toEqual({ ok: true, command: { kind: "user-create", email: "ada@example.com", name: "Ada Lovelace", admin: true } });
    expect(parseCliArgs(["user", "create", "--name=Grace", "--email=grace@example.com"])).toEqual({ ok: true, command: { kind: "user-create", email: "grace@example.com", name: "Grace", admin: false } });
    expect(parseCliArgs(["user", "link", "--email", "ada@example.com"])).toEqual({ ok: true, command: { kind: "user-link", email: "ada@example.com" } });
  });

  it("refuses the rest with exit code 2, never taking a password", () => {
    const refused = (argv: string[]) => parseCliArgs(argv);
    expect(refused(["user"])).toEqual({ ok: false, error: "user needs create or link", exitCode: 2 });
    expect(refused(["user", "delete"])).toEqual({ ok: false, error: 'unknown user command "delete"', exitCode: 2 });
    expect(refused(["user", "create", "--email", "a@b.test"])).toEqual({ ok: false, error: "user create needs --name NAME", exitCode: 2 });
    expect(refused(["user", "create", "--name", "A"])).toEqual({ ok: false, error: "user create needs --email EMAIL", exitCode: 2 });
    expect(refused(["user", "create", "--email", "--name", "A"])).toEqual({ ok: false, error: "--email needs a value", exitCode: 2 });
    expect(refused(["user", "create", "--email", "a@b.test", "--email", "c@d.test", "--name", "A"])).toEqual({ ok: false, error: "--email is given twice", exitCode: 2 });
    expect(refused(["user", "create", "--email", "a@b.test", "--name", "A", "--admin=yes"])).toEqual({ ok: false, error: "--admin takes no value", exitCode: 2 });
    expect(refused(["user", "create", "--email", "a@b.test", "--name", "A", "--password", "secret"])).toMatchObject({ ok: false, exitCode: 2, error: expect.stringContaining("takes no password") });
    expect(refused(["user", "link", "--email", "a@b.test", "--admin"])).toEqual({ ok: false, error: "user link takes only --email", exitCode: 2 });
    expect(refused(["user", "create", "extra", "--email", "a@b.test", "--name", "A"])).toEqual({ ok: false, error: 'user create takes no argument "extra"', exitCode: 2 });
  });
});
