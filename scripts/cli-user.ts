import { randomUUID } from "node:crypto";
import { hostname, userInfo } from "node:os";

// `npm run cli -- user create --email EMAIL --name NAME [--admin]`: creates a user without a
// password in the database (DATABASE_URL) and prints a single-use link, valid for 24 hours, where
// they set their own. This is how an installation gets its first admin: there are no default
// accounts and no password on the command line. Exit codes: 0 created, 1 refused (the email
// exists), 2 usage error, bad input or no database.
// `npm run cli -- user link --email EMAIL`: a new such link for an existing, enabled user (theirs
// expired, or they forgot their password); earlier unused links stop working. Exit codes: 0 made,
// 1 refused (no enabled user has that email), 2 as above.

export const USER_USAGE = ["       npm run cli -- user create --email EMAIL --name NAME [--admin]", "       npm run cli -- user link --email EMAIL"].join("\n");

export type UserCommand = { kind: "user-create"; email: string; name: string; admin: boolean } | { kind: "user-link"; email: string };

export type ParsedUserArgs = { ok: true; command: UserCommand } | { ok: false; error: string };

/** Reads `user …` arguments (after the word user). Pure. */
export function parseUserArgs(argv: string[]): ParsedUserArgs {
  const [sub, ...rest] = argv;
  if (sub !== "create" && sub !== "link") return { ok: false, error: sub === undefined ? "user needs create or link" : `unknown user command "${sub}"` };
  const flags: { email?: string; name?: string; admin: boolean } = { admin: false };
  for (let index = 0; index < rest.length; index++) {
    const arg = rest[index] ?? "";
    const [name, inlineValue] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (name === "--admin" || (sub === "link" && name === "--name")) {
      if (sub === "link") return { ok: false, error: `user link takes only --email` };
      if (inlineValue !== undefined) return { ok: false, error: "--admin takes no value" };
      flags.admin = true;
    } else if (name === "--email" || name === "--name") {
      const value = inlineValue ?? rest[++index];
      if (value === undefined || value.trim() === "" || (inlineValue === undefined && value.startsWith("--"))) return { ok: false, error: `${name} needs a value` };
      if (flags[name === "--email" ? "email" : "name"] !== undefined) return { ok: false, error: `${name} is given twice` };
      flags[name === "--email" ? "email" : "name"] = value;
    } else if (name === "--password") {
      return { ok: false, error: `user ${sub} takes no password: the person sets their own with the link it prints` };
    } else {
      return { ok: false, error: name.startsWith("-") ? `unknown option "${name}" for user ${sub}` : `user ${sub} takes no argument "${name}"` };
    }
  }
  if (flags.email === undefined) return { ok: false, error: `user ${sub} needs --email EMAIL` };
  if (sub === "link") return { ok: true, command: { kind: "user-link", email: flags.email } };
  if (flags.name === undefined) return { ok: false, error: "user create needs --name NAME" };
  return { ok: true, command: { kind: "user-create", email: flags.email, name: flags.name, admin: flags.admin } };
}

type Output = { out: (text: string) => void; err: (text: string) => void };

const oneLine = (text: string) => text.replace(/\s*[\r\n]+\s*/g, " ");

function systemUser(): string {
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

export async function runUserCli(command: UserCommand, output: Output): Promise<number> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    output.err("error: DATABASE_URL is not set: users are created in the database");
    return 2;
  }
  const { createPrismaClient } = await import("@/lib/db");
  const { AppError } = await import("@/lib/errors");
  const { envSchema } = await import("@/lib/env");
  const { defaultBaseUrl } = await import("@/lib/notifications/deliver");
  const { createSignInLinkFromCli, createUserFromCli } = await import("@/lib/users/mutations");
  const { signInLinkUrl, SIGN_IN_LINK_HOURS } = await import("@/lib/users/sign-in-links");
  // The link's origin is the public URL the app uses for every link it sends (AUTH_URL), checked
  // as the server checks it; only that variable is needed, not the server's whole configuration.
  const authUrl = envSchema.shape.AUTH_URL.safeParse(process.env.AUTH_URL);
  if (!authUrl.success) {
    output.err(`error: AUTH_URL ${authUrl.error.issues[0]?.message ?? "is not valid"}`);
    return 2;
  }
  // A client of its own: the app's would need AUTH_SECRET just to connect.
  const client = createPrismaClient(databaseUrl, 2);
  try {
    try {
      await client.$queryRaw`SELECT 1`;
    } catch (error) {
      output.err(`error: cannot reach the database at ${redactedHost(databaseUrl)}: ${oneLine(error instanceof Error ? error.message : String(error))}`);
      return 2;
    }
    const origin = { requestId: `cli-${randomUUID()}`, systemUser: systemUser(), host: hostname() };
    const made =
      command.kind === "user-create"
        ? await createUserFromCli(client, { email: command.email, name: command.name, admin: command.admin }, origin)
        : await createSignInLinkFromCli(client, { email: command.email }, origin);
    const url = signInLinkUrl(defaultBaseUrl(authUrl.data, process.env.PORT), made.link.token);
    output.out(
      [
        command.kind === "user-create" ? `Created ${command.admin ? "admin" : "user"} ${made.name} <${made.email}>.` : `New set-password link for ${made.name} <${made.email}>; earlier links no longer work.`,
        `They set their password at this link, which works once and expires in ${SIGN_IN_LINK_HOURS} hours (${made.link.expiresAt.toISOString()}):`,
        "",
        `  ${url}`,
        "",
        "Send it to them only; anyone holding it can set the password.",
      ].join("\n"),
    );
    return 0;
  } catch (error) {
    if (error instanceof AppError && (error.code === "CONFLICT" || error.code === "NOT_FOUND")) {
      output.err(`error: ${oneLine(error.message)} Nothing was changed.`);
      return 1;
    }
    if (error instanceof AppError) {
      // Bad input names the field: --email or --name.
      const fields = Object.entries(error.fieldErrors ?? {}).map(([field, messages]) => `--${field}: ${messages.join(" ")}`);
      output.err(`error: ${fields.length > 0 ? fields.join("; ") : oneLine(error.message)}`);
      return 2;
    }
    throw error;
  } finally {
    await client.$disconnect().catch(() => undefined);
  }
}

/** The database's host and name, never its password. */
function redactedHost(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.host}${url.pathname}`;
  } catch {
    return "DATABASE_URL";
  }
}
