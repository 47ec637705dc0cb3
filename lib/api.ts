import { requireContext } from "@/lib/auth";
import { AppError, toPublicError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/request";
import { authenticateToken, type TokenCaller } from "@/lib/tokens/data";

type Handler<P> = (ctx: ServiceContext, request: Request, params: P) => Promise<unknown>;

/** Runs a handler and turns its result or error into the response: never a stack trace. */
async function respond(request: Request, run: () => Promise<unknown>): Promise<Response> {
  try {
    const result = await run();
    if (result instanceof Response) return result;
    return result === undefined ? new Response(null, { status: 204 }) : Response.json(result);
  } catch (error) {
    const publicError = toPublicError(error);
    if (publicError.code === "INTERNAL") console.error("[api]", request.method, new URL(request.url).pathname, error);
    const status = error instanceof AppError ? error.status : 500;
    return Response.json({ error: publicError }, { status });
  }
}

/**
 * The one wrapper for /api/v1 route handlers: authenticates the caller against the database,
 * runs the handler (services authorize and validate), and turns errors into
 * `{"error": {"code", "message", "fieldErrors"?}}` with the matching status. Never a stack trace.
 */
export function apiRoute<P = Record<string, never>>(handler: Handler<P>) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> =>
    respond(request, async () => handler(await requireContext(), request, await context.params));
}

/** Who calls a route that pipelines may use: an API token, or a signed-in person. */
export type ApiCaller = { kind: "token"; token: TokenCaller } | { kind: "session"; ctx: ServiceContext };

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
  return { kind: "token", token };
}

/** apiRoute for the read-only routes that also accept API tokens (`Authorization: Bearer ssp_…`). */
export function apiTokenRoute<P = Record<string, never>>(handler: (caller: ApiCaller, request: Request, params: P) => Promise<unknown>) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> =>
    respond(request, async () => handler(await requireApiCaller(request), request, await context.params));
}

/** The request body as JSON, or INVALID_INPUT naming the body. */
export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new AppError("INVALID_INPUT", "The request body must be JSON.", { body: ["Send a JSON object."] });
  }
}
