import { z } from "zod";
import { parseTrustedProxies } from "@/lib/http/forwarded";
import { outboundAllowanceSchema } from "@/lib/net/allowance";

// The environment is parsed once, at start-up (instrumentation.ts and scripts/start.ts), so a
// misconfigured server refuses to start with a message per variable instead of failing later.

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

/** IMPORT_PARSE_DEADLINE_MS: how long one Markdown file may take to parse (lib/import/safe-parse.ts). */
export const importParseDeadlineSchema = z.coerce.number().int().min(1_000).max(300_000).default(10_000);

const postgresUrl = z
  .string({ error: "is required (a postgresql:// connection URL)" })
  .trim()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), "must be a postgresql:// URL")
  .refine((value) => URL.canParse(value), "is not a valid URL");

export const envSchema = z
  .object({
    DATABASE_URL: postgresUrl,
    AUTH_SECRET: z
      .string({ error: "is required (at least 32 random characters; e.g. `openssl rand -base64 32`)" })
      .min(32, "must be at least 32 characters long"),
    /**
     * Signs audit checkpoints (HMAC-SHA256 under a key derived from it). Unset: derived from
     * AUTH_SECRET instead, so rotating AUTH_SECRET would invalidate the checkpoints kept so far.
     */
    AUDIT_CHECKPOINT_SECRET: optionalText.pipe(z.string().min(32, "must be at least 32 characters long (e.g. `openssl rand -base64 32`)").optional()),
    AUTH_URL: optionalText.pipe(z.url("must be a full URL such as https://shipshape.example.com").optional()),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    /** Opening a database connection, or waiting for a free one (lib/db.ts). */
    DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(10_000),
    /** The longest a request's statement may run (PostgreSQL's statement_timeout). */
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(500).max(600_000).default(10_000),
    /** The longest a request's query waits for any answer, e.g. from a database that hangs. */
    DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(500).max(600_000).default(15_000),
    SESSION_MAX_AGE_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
    /** An admin's session ends after this many minutes without a request (0: only the absolute lifetime). */
    SESSION_IDLE_MINUTES_ADMIN: z.coerce.number().int().min(0).max(24 * 60).default(30),
    /** Everyone else's session ends after this many minutes without a request (0, the default: only the absolute lifetime). */
    SESSION_IDLE_MINUTES: z.coerce.number().int().min(0).max(24 * 60 * 30).default(0),
    /**
     * "required" (the default): admins and approvers must set up an authenticator app, and are
     * sent to set one up at sign-in until they do; "optional": anyone may, nobody must.
     */
    MFA_ENROLMENT: z.enum(["required", "optional"], { error: 'MFA_ENROLMENT is "required" or "optional".' }).default("required"),
    /**
     * How long a proof of identity (signing in, or re-entering the password) lets a person sign
     * without giving it again (21 CFR Part 11 §11.200): signing, rejecting and going live ask for
     * the password once the session's last proof is older (lib/users/proof.ts).
     */
    SIGNING_PROOF_WINDOW_SECONDS: z.coerce.number({ error: "must be a number of seconds" }).int("must be a whole number of seconds").min(10, "must be at least 10 seconds").max(3_600, "must be at most 3600 seconds (an hour)").default(300),
    AUTH_OIDC_ISSUER: optionalText.pipe(z.url("must be the issuer URL of your OpenID provider").optional()),
    AUTH_OIDC_CLIENT_ID: optionalText,
    AUTH_OIDC_CLIENT_SECRET: optionalText,
    AUTH_OIDC_NAME: optionalText,
    /**
     * Email domains whose people get an account (with no role) the first time they sign in
     * through the provider, comma-separated, e.g. "example.com, example.org"; unset: nobody does.
     */
    AUTH_OIDC_JIT_DOMAINS: optionalText.pipe(
      z
        .string()
        .transform((value) => value.split(",").map((domain) => domain.trim().toLowerCase()).filter(Boolean))
        .pipe(z.array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, "must be a comma-separated list of email domains such as example.com")))
        .optional(),
    ),
    /**
     * The ID token claim that lists a person's groups (e.g. "groups"): at each single sign-on it
     * decides their membership of the teams that name a group (lib/teams/groups.ts); unset: off.
     */
    OIDC_GROUPS_CLAIM: optionalText.pipe(z.string().max(100, "must be a claim name such as groups").optional()),
    /** Outgoing mail for notifications, e.g. smtp://user:pass@mail.example.com:587 (off when unset). */
    SMTP_URL: optionalText.pipe(
      z
        .string()
        .refine((value) => /^smtps?:\/\//.test(value) && URL.canParse(value), "must be an smtp:// or smtps:// URL")
        .optional(),
    ),
    SMTP_FROM: optionalText.pipe(z.string().max(200).optional()),
    /**
     * The reverse proxies in front of the app (IPs or CIDRs, comma-separated): only connections
     * from them may say, in X-Forwarded-For/-Proto/-Host, who the client is (lib/http/forwarded.ts).
     */
    TRUSTED_PROXIES: optionalText.pipe(
      z
        .string()
        .superRefine((value, ctx) => {
          try {
            parseTrustedProxies(value);
          } catch (error) {
            ctx.addIssue({ code: "custom", message: `must list IP addresses or CIDR ranges, comma-separated: ${error instanceof Error ? error.message : String(error)}` });
          }
        })
        .optional(),
    ),
    /** How long one Markdown file (import, project from a file, template version) may take to parse. */
    IMPORT_PARSE_DEADLINE_MS: importParseDeadlineSchema,
    /** Whether this instance also runs background jobs (notification delivery, reminders). */
    SHIPSHAPE_WORKER: z.enum(["on", "off"], { error: "must be on or off" }).default("on"),
    /** How often each worker writes its heartbeat and looks for dead workers (lib/jobs/liveness.ts). */
    WORKER_HEARTBEAT_MS: z.coerce.number().int().min(100).max(10 * 60_000).default(10_000),
    /** A worker silent for longer than this is taken for dead and its jobs are run by another. */
    WORKER_STALE_AFTER_MS: z.coerce.number().int().min(1_000).max(60 * 60_000).default(45_000),
    /** Enables GET /metrics for callers with `Authorization: Bearer <token>` (scripts/server.ts); unset: /metrics is 404. */
    METRICS_TOKEN: optionalText.pipe(z.string().min(24, "must be at least 24 characters long (e.g. `openssl rand -base64 32`)").optional()),
    /** The least severe level written to the JSON log (lib/log.ts). */
    LOG_LEVEL: optionalText.pipe(z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], { error: "must be one of fatal, error, warn, info, debug, trace, silent" }).optional()),
    /** Requests served at once by this instance; unset: 4 × DATABASE_POOL_MAX (scripts/server.ts). */
    MAX_CONCURRENT_REQUESTS: z.coerce.number().int().min(1).max(10_000).optional(),
    /** Requests that may wait for a free slot; more are answered 503 at once. Unset: 2 × DATABASE_POOL_MAX. */
    MAX_QUEUED_REQUESTS: z.coerce.number().int().min(0).max(100_000).optional(),
    /** The longest a request waits for a slot before it is answered 503. */
    MAX_QUEUE_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
    /** Requests one API token may make per minute, shared by every instance (lib/tokens/rate-limit.ts). */
    API_TOKEN_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
    /** Loopback and private ranges and host names that webhooks may reach; unset: none (lib/net/allowance.ts). */
    OUTBOUND_ALLOW_PRIVATE: optionalText.pipe(outboundAllowanceSchema.optional()),
  })
  .superRefine((value, ctx) => {
    // The server cancels a slow statement first (its connection stays usable); the client's bound is for no answer at all.
    if (value.DATABASE_QUERY_TIMEOUT_MS <= value.DATABASE_STATEMENT_TIMEOUT_MS) {
      ctx.addIssue({ code: "custom", path: ["DATABASE_QUERY_TIMEOUT_MS"], message: "must be longer than DATABASE_STATEMENT_TIMEOUT_MS" });
    }
    // A live worker must get several beats in before it could be taken for dead.
    if (value.WORKER_STALE_AFTER_MS < 3 * value.WORKER_HEARTBEAT_MS) {
      ctx.addIssue({ code: "custom", path: ["WORKER_STALE_AFTER_MS"], message: "must be at least three times WORKER_HEARTBEAT_MS" });
    }
    const oidc = ["AUTH_OIDC_ISSUER", "AUTH_OIDC_CLIENT_ID", "AUTH_OIDC_CLIENT_SECRET"] as const;
    const given = oidc.filter((key) => value[key] !== undefined);
    if (given.length > 0 && given.length < oidc.length) {
      for (const key of oidc.filter((k) => value[k] === undefined)) {
        ctx.addIssue({ code: "custom", path: [key], message: `is required when ${given.join(", ")} is set` });
      }
    }
  });

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join(".") || "environment"} ${issue.message}`);
  throw new EnvError(problems);
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

export function isOidcConfigured(config: Env): boolean {
  return config.AUTH_OIDC_ISSUER !== undefined;
}
