import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { getPool } from "@/lib/db";
import { env } from "@/lib/env";
import { rateLimited } from "@/lib/errors";

// Requests per API token, counted in PostgreSQL so that every instance shares the count: a
// runaway pipeline is slowed down (429 with Retry-After) before it slows everyone else.
// API_TOKEN_REQUESTS_PER_MINUTE (default 600) sets the budget.

let limiter: { points: number; limiter: RateLimiterPostgres } | undefined;

const perMinute = () => env().API_TOKEN_REQUESTS_PER_MINUTE;

function getLimiter(points: number): RateLimiterPostgres {
  if (limiter?.points !== points) {
    limiter = { points, limiter: new RateLimiterPostgres({ storeClient: getPool(), tableName: "rate_limits", tableCreated: true, clearExpiredByTimeout: false, keyPrefix: "api-token", points, duration: 60 }) };
  }
  return limiter.limiter;
}

/** Counts one request of this token; past the budget, RATE_LIMITED with the seconds until it refills. */
export async function countTokenRequest(tokenId: string, points = perMinute()): Promise<void> {
  try {
    await getLimiter(points).consume(tokenId);
  } catch (reason) {
    if (reason instanceof RateLimiterRes) throw rateLimited(`This token made more than ${points} requests in a minute; wait and try again.`, reason.msBeforeNext / 1000);
    throw reason;
  }
}
