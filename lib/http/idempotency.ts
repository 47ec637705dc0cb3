import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { isUniqueViolation } from "@/lib/db-errors";
import { AppError } from "@/lib/errors";

// `Idempotency-Key` on POST (every POST of /api/v1 passes through here, lib/api.ts): a client
// that did not hear the answer sends the same request again with the same key and gets the first
// answer, and the change is made once. The same key with a different request (method, path or
// body) is refused with 422; while the first request is still being answered, 409. Keys belong to
// the caller (its token, or its session), are kept for a day, and only a successful answer is
// kept: after a refusal nothing was changed, so the request may simply be sent again.

const KEEP_MS = 24 * 60 * 60 * 1000;
/** A claim older than this with no answer is from a request that died: the next one takes it over. */
const ABANDONED_AFTER_MS = 60_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
const SESSION_COOKIE = /(?:^|;\s*)((?:__Host-)?shipshape\.session(?:\.\d+)?)=([^;]*)/g;

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** Whose key it is: a hash of the bearer token or of the session cookie (null: no credential, nothing to keep). */
function callerHashOf(request: Request): string | null {
  const authorization = request.headers.get("authorization");
  if (authorization) return sha256(`bearer ${authorization.trim()}`);
  const session = [...(request.headers.get("cookie") ?? "").matchAll(SESSION_COOKIE)].map((match) => `${match[1]}=${match[2]}`).join(";");
  return session ? sha256(`session ${session}`) : null;
}

const keyRefusal = (message: string) => new AppError("INVALID_INPUT", message, { "Idempotency-Key": [message] });

type Claim = { id: string } | { replay: Response };

async function claim(callerHash: string, key: string, requestHash: string, now: Date): Promise<Claim> {
  // Expired keys go as new ones come (the index on created_at makes this a short range scan).
  await db.idempotencyKey.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - KEEP_MS) } } });
  try {
    return await db.idempotencyKey.create({ data: { callerHash, key, requestHash }, select: { id: true } });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const existing = await db.idempotencyKey.findUnique({ where: { callerHash_key: { callerHash, key } } });
  if (!existing) return claim(callerHash, key, requestHash, now); // expired and removed meanwhile
  if (existing.requestHash !== requestHash) throw keyRefusal("This Idempotency-Key was already used for a different request: use a new key for a new request.");
  if (existing.status === null) {
    const abandoned = existing.createdAt.getTime() < now.getTime() - ABANDONED_AFTER_MS;
    const taken = abandoned ? await db.idempotencyKey.updateMany({ where: { id: existing.id, status: null, createdAt: existing.createdAt }, data: { createdAt: now } }) : { count: 0 };
    if (taken.count === 1) return { id: existing.id };
    throw new AppError("CONFLICT", "The first request with this Idempotency-Key is still being answered; try again in a moment.", undefined, undefined, 1);
  }
  return {
    replay: new Response(existing.body, {
      status: existing.status,
      headers: { ...(existing.contentType ? { "content-type": existing.contentType } : {}), "idempotent-replayed": "true" },
    }),
  };
}

/**
 * Runs a POST at most once per Idempotency-Key (others run as they are). `run` gets the request
 * with its body still readable.
 */
export async function withIdempotency(request: Request, run: (request: Request) => Promise<Response>): Promise<Response> {
  const key = request.headers.get("idempotency-key");
  if (request.method !== "POST" || key === null) return run(request);
  if (!KEY_PATTERN.test(key)) throw keyRefusal("An Idempotency-Key is 1 to 200 visible ASCII characters (a UUID is a good choice).");
  const callerHash = callerHashOf(request);
  if (callerHash === null) return run(request);
  const body = await request.text();
  const url = new URL(request.url);
  const requestHash = sha256(`POST ${url.pathname}${url.search}\n${request.headers.get("content-type") ?? ""}\n${body}`);
  const claimed = await claim(callerHash, key, requestHash, new Date());
  if ("replay" in claimed) return claimed.replay;
  let response: Response;
  try {
    response = await run(new Request(request.url, { method: "POST", headers: request.headers, body }));
  } catch (error) {
    await db.idempotencyKey.delete({ where: { id: claimed.id } }).catch(() => undefined);
    throw error;
  }
  if (response.status < 200 || response.status >= 300) {
    await db.idempotencyKey.delete({ where: { id: claimed.id } }).catch(() => undefined);
    return response;
  }
  const text = await response.text();
  await db.idempotencyKey.update({ where: { id: claimed.id }, data: { status: response.status, body: text, contentType: response.headers.get("content-type") } });
  return new Response(text, { status: response.status, headers: response.headers });
}
