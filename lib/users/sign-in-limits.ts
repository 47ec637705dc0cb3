import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { getPool } from "@/lib/db";

// Brute-force protection for password sign-in, kept in PostgreSQL so that every app instance
// shares the counts. Two independent limits: failures per account, whatever address they come
// from (so that changing address, or claiming to, never buys more guesses at one account), and
// failures per address (stops spraying many accounts from one place). The address is the one
// the app's edge established (lib/http/forwarded.ts): the socket's, or what a configured trusted
// proxy reported, never a header the client chose.

const FIFTEEN_MINUTES = 15 * 60;

type Limiters = { perAccount: RateLimiterPostgres; perAddress: RateLimiterPostgres };
let limiters: Limiters | undefined;

function getLimiters(): Limiters {
  const common = { storeClient: getPool(), tableName: "rate_limits", tableCreated: true, clearExpiredByTimeout: false };
  limiters ??= {
    perAccount: new RateLimiterPostgres({ ...common, keyPrefix: "signin-account", points: 10, duration: FIFTEEN_MINUTES }),
    perAddress: new RateLimiterPostgres({ ...common, keyPrefix: "signin-address", points: 100, duration: FIFTEEN_MINUTES }),
  };
  return limiters;
}

export type SignInAttempt = { email: string; address: string };

const accountKey = (attempt: SignInAttempt) => attempt.email;

/** Seconds until another attempt is allowed, or 0 when it is allowed now. */
export async function signInRetryAfter(attempt: SignInAttempt): Promise<number> {
  const { perAccount, perAddress } = getLimiters();
  const [account, address] = await Promise.all([perAccount.get(accountKey(attempt)), perAddress.get(attempt.address)]);
  const blocked = [account, address].filter((state) => state !== null && state.remainingPoints <= 0);
  return blocked.length === 0 ? 0 : Math.ceil(Math.max(...blocked.map((state) => state?.msBeforeNext ?? 0)) / 1000);
}

/** A failure counts against the account and the address; a success clears the account's count. */
export async function countSignInAttempt(attempt: SignInAttempt, succeeded: boolean): Promise<void> {
  const { perAccount, perAddress } = getLimiters();
  // Past the limit, consume() rejects with the limiter's state: the count is what matters here.
  // Any other rejection (the database) propagates: sign-in fails closed.
  const ignoreExhausted = (reason: unknown) => {
    if (!(reason instanceof RateLimiterRes)) throw reason;
  };
  if (succeeded) {
    await perAccount.delete(accountKey(attempt));
    return;
  }
  await Promise.all([perAccount.consume(accountKey(attempt)).catch(ignoreExhausted), perAddress.consume(attempt.address).catch(ignoreExhausted)]);
}

/**
 * The client's address as the app's edge established it: it replaces X-Forwarded-For with that
 * one address (scripts/server.ts). The last entry is taken so that a list can never put a
 * client-chosen value first.
 */
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",").map((part) => part.trim()).filter(Boolean);
  return forwarded?.at(-1) ?? headers.get("x-real-ip") ?? "unknown";
}
