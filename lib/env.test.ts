import { describe, expect, it } from "vitest";
import { EnvError, isOidcConfigured, parseEnv } from "@/lib/env";

const good = {
  DATABASE_URL: "postgresql://shipshape:secret@127.0.0.1:5432/shipshape",
  AUTH_SECRET: "x".repeat(32),
};

/** The problems parseEnv reports for a source, or a failure if it accepts it. */
function problemsOf(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    const problems = (error as EnvError).problems;
    // The thrown message lists every problem, so the log line alone is enough to fix the config.
    for (const problem of problems) expect((error as EnvError).message).toContain(problem);
    return problems;
  }
  throw new Error("parseEnv accepted an invalid environment");
}

describe("parseEnv", () => {
  it("parses a minimal good config and fills in the defaults", () => {
    const config = parseEnv(good);
    expect(config).toEqual({
      DATABASE_URL: good.DATABASE_URL,
      AUTH_SECRET: good.AUTH_SECRET,
      DATABASE_POOL_MAX: 10,
      DATABASE_CONNECT_TIMEOUT_MS: 10_000,
      DATABASE_STATEMENT_TIMEOUT_MS: 10_000,
      DATABASE_QUERY_TIMEOUT_MS: 15_000,
      SESSION_MAX_AGE_HOURS: 12,
      SESSION_IDLE_MINUTES_ADMIN: 30,
      SESSION_IDLE_MINUTES: 0,
      MFA_ENROLMENT: "required",
      SHIPSHAPE_WORKER: "on",
      WORKER_HEARTBEAT_MS: 10_000,
      WORKER_STALE_AFTER_MS: 45_000,
      MAX_QUEUE_WAIT_MS: 2_000,
      IMPORT_PARSE_DEADLINE_MS: 10_000,
      API_TOKEN_REQUESTS_PER_MINUTE: 600,
      SIGNING_PROOF_WINDOW_SECONDS: 300,
    });
    expect(config.AUTH_URL).toBeUndefined();
    expect(isOidcConfigured(config)).toBe(false);
  });

  it("takes the database's timeouts, refusing a client-side bound not longer than the server's", () => {
    expect(parseEnv({ ...good, DATABASE_STATEMENT_TIMEOUT_MS: "20000", DATABASE_QUERY_TIMEOUT_MS: "25000" })).toMatchObject({ DATABASE_STATEMENT_TIMEOUT_MS: 20_000, DATABASE_QUERY_TIMEOUT_MS: 25_000 });
    expect(() => parseEnv({ ...good, DATABASE_STATEMENT_TIMEOUT_MS: "20000" })).toThrow(/DATABASE_QUERY_TIMEOUT_MS must be longer than DATABASE_STATEMENT_TIMEOUT_MS/);
  });

  it("takes a worker's heartbeat and staleness bound, refusing a bound shorter than three beats", () => {
    expect(parseEnv({ ...good, WORKER_HEARTBEAT_MS: "1000", WORKER_STALE_AFTER_MS: "5000" })).toMatchObject({ WORKER_HEARTBEAT_MS: 1_000, WORKER_STALE_AFTER_MS: 5_000 });
    expect(() => parseEnv({ ...good, WORKER_HEARTBEAT_MS: "20000" })).toThrow(/WORKER_STALE_AFTER_MS must be at least three times WORKER_HEARTBEAT_MS/);
  });

  it("takes the Markdown parse deadline within 1 s to 5 minutes, naming the variable otherwise", () => {
    expect(parseEnv({ ...good, IMPORT_PARSE_DEADLINE_MS: "3000" }).IMPORT_PARSE_DEADLINE_MS).toBe(3_000);
    expect(() => parseEnv({ ...good, IMPORT_PARSE_DEADLINE_MS: "500" })).toThrow(/IMPORT_PARSE_DEADLINE_MS/);
    expect(() => parseEnv({ ...good, IMPORT_PARSE_DEADLINE_MS: "soon" })).toThrow(/IMPORT_PARSE_DEADLINE_MS/);
  });

  it("takes SMTP settings, refusing a URL that is not smtp(s)://, and lets an instance opt out of background work", () => {
    const config = parseEnv({ ...good, SMTP_URL: "smtps://user:pass@mail.example.com:465", SMTP_FROM: "Shipshape <ops@example.com>", SHIPSHAPE_WORKER: "off" });
    expect(config).toMatchObject({ SMTP_URL: "smtps://user:pass@mail.example.com:465", SMTP_FROM: "Shipshape <ops@example.com>", SHIPSHAPE_WORKER: "off" });
    expect(parseEnv({ ...good, SMTP_URL: "" }).SMTP_URL).toBeUndefined();
    expect(problemsOf({ ...good, SMTP_URL: "https://mail.example.com" })).toEqual(["SMTP_URL must be an smtp:// or smtps:// URL"]);
    expect(problemsOf({ ...good, SHIPSHAPE_WORKER: "maybe" })).toEqual(["SHIPSHAPE_WORKER must be on or off"]);
  });

  it("accepts postgres:// as well as postgresql:// and coerces numbers", () => {
    const config = parseEnv({ ...good, DATABASE_URL: "postgres://u@db.internal/app", DATABASE_POOL_MAX: "25", SESSION_MAX_AGE_HOURS: "8" });
    expect(config.DATABASE_URL).toBe("postgres://u@db.internal/app");
    expect(config.DATABASE_POOL_MAX).toBe(25);
    expect(config.SESSION_MAX_AGE_HOURS).toBe(8);
  });

  it("treats empty optional variables as unset", () => {
    const config = parseEnv({ ...good, AUTH_URL: "", AUTH_OIDC_ISSUER: "  ", AUTH_OIDC_CLIENT_ID: "", AUTH_OIDC_CLIENT_SECRET: "" });
    expect(config.AUTH_URL).toBeUndefined();
    expect(config.AUTH_OIDC_ISSUER).toBeUndefined();
    expect(isOidcConfigured(config)).toBe(false);
  });

  it("parses a complete OIDC config", () => {
    const config = parseEnv({
      ...good,
      AUTH_URL: "https://shipshape.example.org",
      AUTH_OIDC_ISSUER: "https://login.example.org/realms/main",
      AUTH_OIDC_CLIENT_ID: "shipshape",
      AUTH_OIDC_CLIENT_SECRET: "s3cret",
      AUTH_OIDC_NAME: "Company SSO",
    });
    expect(isOidcConfigured(config)).toBe(true);
    expect(config.AUTH_OIDC_NAME).toBe("Company SSO");
    expect(config.AUTH_URL).toBe("https://shipshape.example.org");
  });

  it("takes an optional AUDIT_CHECKPOINT_SECRET of at least 32 characters (empty: unset)", () => {
    expect(parseEnv(good).AUDIT_CHECKPOINT_SECRET).toBeUndefined();
    expect(parseEnv({ ...good, AUDIT_CHECKPOINT_SECRET: "  " }).AUDIT_CHECKPOINT_SECRET).toBeUndefined();
    expect(parseEnv({ ...good, AUDIT_CHECKPOINT_SECRET: "c".repeat(32) }).AUDIT_CHECKPOINT_SECRET).toBe("c".repeat(32));
    expect(problemsOf({ ...good, AUDIT_CHECKPOINT_SECRET: "too short" })).toEqual(["AUDIT_CHECKPOINT_SECRET must be at least 32 characters long (e.g. `openssl rand -base64 32`)"]);
  });

  it("names DATABASE_URL when it is missing", () => {
    const problems = problemsOf({ AUTH_SECRET: good.AUTH_SECRET });
    expect(problems).toEqual([expect.stringMatching(/^DATABASE_URL is required/)]);
  });

  it.each(["mysql://root@localhost/app", "http://localhost:5432/app", "127.0.0.1:5432"])("names DATABASE_URL when it is not a postgres URL (%s)", (url) => {
    const problems = problemsOf({ ...good, DATABASE_URL: url });
    expect(problems[0]).toBe("DATABASE_URL must be a postgresql:// URL");
    for (const problem of problems) expect(problem).toMatch(/^DATABASE_URL /);
  });

  it("names AUTH_SECRET when it is missing", () => {
    const problems = problemsOf({ DATABASE_URL: good.DATABASE_URL });
    expect(problems).toEqual([expect.stringMatching(/^AUTH_SECRET is required/)]);
  });

  it("names AUTH_SECRET when it is shorter than 32 characters", () => {
    const problems = problemsOf({ ...good, AUTH_SECRET: "x".repeat(31) });
    expect(problems).toEqual(["AUTH_SECRET must be at least 32 characters long"]);
  });

  it("reports every bad variable at once", () => {
    const problems = problemsOf({ DATABASE_POOL_MAX: "lots", AUTH_URL: "not a url" });
    const named = problems.map((problem) => problem.split(" ")[0]);
    expect(named).toEqual(expect.arrayContaining(["DATABASE_URL", "AUTH_SECRET", "DATABASE_POOL_MAX", "AUTH_URL"]));
  });

  it.each([
    ["DATABASE_POOL_MAX", "0"],
    ["DATABASE_POOL_MAX", "101"],
    ["SESSION_MAX_AGE_HOURS", "1.5"],
    ["SESSION_MAX_AGE_HOURS", "721"],
  ])("names %s when it is out of range (%s)", (name, value) => {
    const problems = problemsOf({ ...good, [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name} `));
  });

  it("takes the single sign-on groups claim, off when unset", () => {
    expect(parseEnv(good).OIDC_GROUPS_CLAIM).toBeUndefined();
    expect(parseEnv({ ...good, OIDC_GROUPS_CLAIM: " groups " }).OIDC_GROUPS_CLAIM).toBe("groups");
    expect(parseEnv({ ...good, OIDC_GROUPS_CLAIM: "" }).OIDC_GROUPS_CLAIM).toBeUndefined();
  });

  it("names the missing OIDC variables when only the issuer is set", () => {
    const problems = problemsOf({ ...good, AUTH_OIDC_ISSUER: "https://login.example.org" });
    expect(problems.sort()).toEqual([
      "AUTH_OIDC_CLIENT_ID is required when AUTH_OIDC_ISSUER is set",
      "AUTH_OIDC_CLIENT_SECRET is required when AUTH_OIDC_ISSUER is set",
    ]);
  });

  it("names the missing OIDC issuer when client id and secret are set", () => {
    const problems = problemsOf({ ...good, AUTH_OIDC_CLIENT_ID: "shipshape", AUTH_OIDC_CLIENT_SECRET: "s3cret" });
    expect(problems).toEqual(["AUTH_OIDC_ISSUER is required when AUTH_OIDC_CLIENT_ID, AUTH_OIDC_CLIENT_SECRET is set"]);
  });

  it("names AUTH_OIDC_ISSUER when it is not a URL", () => {
    const problems = problemsOf({ ...good, AUTH_OIDC_ISSUER: "login.example.org", AUTH_OIDC_CLIENT_ID: "a", AUTH_OIDC_CLIENT_SECRET: "b" });
    expect(problems).toEqual(["AUTH_OIDC_ISSUER must be the issuer URL of your OpenID provider"]);
  });
});
