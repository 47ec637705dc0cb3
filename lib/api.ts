import { requireContext } from "@/lib/auth";
import { AppError, toAppError, toPublicError } from "@/lib/errors";
import { noteActor, noteOutcome, outcomeOf } from "@/lib/http/request-record";
import { getRequestId, type ServiceContext } from "@/lib/request";
import { can } from "@/lib/policy";
import { isSlug, isUuid, normalizeTextDeep } from "@/lib/validation";
import { loadActorById } from "@/lib/users/data";
import { authenticateToken, type TokenCaller } from "@/lib/tokens/data";
import { permits, tokenPermissionWords, type TokenPermission } from "@/lib/tokens/scopes";
import { countTokenRequest } from "@/lib/tokens/rate-limit";
import { withIdempotency } from "@/lib/http/idempotency";
import { automationActor } from "@/lib/tokens/actor";

type Handler<P> = (ctx: ServiceContext, request: Request, params: P) => Promise<unknown>;

/**
 * Runs a handler and turns its result or error into the response: never a stack trace. Every
 * answer is for one caller only, so none may be stored by a browser or a shared cache unless the
 * handler says otherwise.
 */
async function respond(request: Request, params: Promise<unknown>, run: (params: unknown, request: Request) => Promise<unknown>): Promise<Response> {
  const startedAt = performance.now();
  const resolved = await params;
  const route = { kind: "route" as const, name: routePattern(new URL(request.url).pathname, resolved), method: request.method, requestId: request.headers.get("x-request-id") };
  let response: Response;
  try {
    const checked = checkRouteParams(resolved);
    response = await withIdempotency(request, async (replayable) => {
      const result = await run(checked, replayable);
      return result instanceof Response ? result : result === undefined ? new Response(null, { status: 204 }) : Response.json(result);
    });
    // A streamed answer (an export) counts as done when its streaming starts; a failure later
    // shows as a cut answer in the edge's line.
    noteOutcome(route, "ok", startedAt);
  } catch (error) {
    const publicError = toPublicError(error);
    const appError = toAppError(error);
    // One line for every outcome (the edge's, or noteOutcome's own): a refusal at info, an outage
    // (the database did not answer) at warn, anything else at error with its stack.
    noteOutcome(route, outcomeOf(error), startedAt, error);
    response = Response.json({ error: publicError }, { status: appError?.status ?? 500 });
    if (appError?.retryAfterSeconds !== undefined) response.headers.set("retry-after", String(appError.retryAfterSeconds));
  }
  if (!response.headers.has("cache-control")) response.headers.set("cache-control", "no-store");
  return response;
}

/** The route's pattern, for logs and metrics: each parameter's value in the path put back as its name (/api/v1/projects/[slug]/gate). */
export function routePattern(pathname: string, params: unknown): string {
  if (typeof params !== "object" || params === null) return pathname;
  const names = new Map<string, string>();
  for (const [name, value] of Object.entries(params)) if (typeof value === "string") names.set(value, name);
  return pathname
    .split("/")
    .map((segment) => {
      let decoded = segment;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        // a malformed escape names nothing; it stays as it is
      }
      const name = names.get(decoded);
      return name ? `[${name}]` : segment;
    })
    .join("/");
}

/**
 * Route parameters are either a slug (`[slug]`) or a UUID (`[id]`, `[userId]`, …). Anything else
 * names nothing that exists: NOT_FOUND here, before a malformed value can reach a query.
 */
function checkRouteParams(params: unknown): unknown {
  if (typeof params !== "object" || params === null) return params;
  for (const [name, value] of Object.entries(params)) {
    const isValid = name === "slug" ? isSlug(value) : isUuid(value);
    if (!isValid) throw new AppError("NOT_FOUND", "Not found.");
  }
  return params;
}

/**
 * The one wrapper for /api/v1 route handlers: authenticates the caller against the database,
 * runs the handler (services authorize and validate), and turns errors into
 * `{"error": {"code", "message", "fieldErrors"?}}` with the matching status. Never a stack trace.
 */
export function apiRoute<P = Record<string, never>>(handler: Handler<P>) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> =>
    respond(request, context.params, async (params, body) => {
      // A request is authenticated by exactly one means; this route's is the session.
      if (request.headers.has("authorization")) throw new AppError("UNAUTHORIZED", "This route takes a signed-in session, not an API token.");
      return handler(await requireContext(), body, params as P);
    });
}

/** Who calls a route that pipelines may use: an API token, or a signed-in person. */
export type ApiCaller = { kind: "token"; token: TokenCaller } | { kind: "session"; ctx: ServiceContext; readOnly?: boolean };

/**
 * A request carrying an Authorization header is judged by that header alone: anything but a
 * valid, unrevoked token is UNAUTHORIZED (never a fallback to the cookie). Without one, the
 * session cookie decides, as for every other route.
 */
export async function requireApiCaller(request: Request): Promise<ApiCaller> {
  const header = request.headers.get("authorization");
  if (header === null) return { kind: "session", ctx: await requireContext() };
  const token = await authenticateToken(header);
  if (!token) throw new AppError("UNAUTHORIZED", "The API token is missing, malformed, unknown or revoked.");
  noteActor(`token:${token.tokenId}`);
  await countTokenRequest(token.tokenId);
  if (token.scope === "GATE") return { kind: "token", token };
  // A read-only token acts as its owner as they stand now (disabled, or no longer an auditor or
  // admin: refused), and only ever reaches GET handlers.
  const owner = await loadActorById(token.ownerId);
  if (!owner || !can(owner, "token.manageOwnRead", { kind: "global" })) throw new AppError("UNAUTHORIZED", "The API token is missing, malformed, unknown or revoked.");
  noteActor(owner.id);
  return { kind: "session", ctx: { actor: owner, requestId: await getRequestId() }, readOnly: true };
}

/**
 * For read-only routes that also accept an auditor's or admin's read-only token (scope READ): the
 * handler gets a service context as for a session. A pipeline's gate token is refused here.
 */
export function apiReadRoute<P = Record<string, never>>(handler: Handler<P>) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> =>
    respond(request, context.params, async (params, body) => {
      if (request.method !== "GET") throw new AppError("FORBIDDEN", "Tokens only read.");
      const caller = await requireApiCaller(request);
      if (caller.kind === "token") throw new AppError("UNAUTHORIZED", "This token only reads go-live gates.");
      return handler(caller.ctx, body, params as P);
    });
}

/** apiRoute for the read-only routes that also accept API tokens (`Authorization: Bearer ssp_…`). */
export function apiTokenRoute<P = Record<string, never>>(handler: (caller: ApiCaller, request: Request, params: P) => Promise<unknown>) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> =>
    respond(request, context.params, async (params, body) => handler(await requireApiCaller(request), body, params as P));
}

/**
 * For the routes of the work itself (items, evidence, comments, sign-offs, history): a signed-in
 * session, a read-only token for GETs (as its owner), or a project token holding `permission`,
 * which then acts as itself on its one project (lib/policy.ts decides what that allows).
 */
export function apiScopedRoute<P = Record<string, never>>(permission: TokenPermission, handler: Handler<P>) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> =>
    respond(request, context.params, async (params, body) => {
      const caller = await requireApiCaller(request);
      if (caller.kind === "session") {
        if (caller.readOnly && request.method !== "GET") throw new AppError("FORBIDDEN", "A read-only token only reads.");
        return handler(caller.ctx, body, params as P);
      }
      const { token } = caller;
      if (token.projectId === null || !permits(token.permissions, permission)) {
        throw new AppError("FORBIDDEN", `This token may not ${tokenPermissionWords[permission]}: create one with the ${permission} permission.`);
      }
      return handler({ actor: automationActor({ ...token, projectId: token.projectId }), requestId: await getRequestId() }, body, params as P);
    });
}

/** The request body as JSON (line endings in its strings normalized), or INVALID_INPUT naming the body. */
export async function readJson(request: Request): Promise<unknown> {
  try {
    return normalizeTextDeep(await request.json());
  } catch {
    throw new AppError("INVALID_INPUT", "The request body must be JSON.", { body: ["Send a JSON object."] });
  }
}
