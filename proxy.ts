import { NextResponse, type NextRequest } from "next/server";
import { isSameOrigin } from "@/lib/http/origin";

// Runs before every request (Next 16's successor to middleware):
// - gives each request an id that audit events and logs carry;
// - sets a nonce-based Content-Security-Policy (so pages render dynamically), and HSTS when the
//   site is served over HTTPS;
// - authenticates an API request by exactly one means: a request with a bearer token loses its
//   cookies here, so no route can fall back to the session cookie, and is exempt from the
//   cross-site check (a token is not sent by browsers on their own); every other state-changing
//   request must come from this site's own origin. Next's own check for Server Actions lets a
//   request without an Origin header through, hence this one.
//
// The X-Forwarded-* headers read here were set by the app's edge (scripts/server.ts), which
// believes a client's own only when it connects through a configured trusted proxy.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;
const ONE_YEAR_SECONDS = 31_536_000;

function isSecureSite(): boolean {
  return process.env.AUTH_URL?.startsWith("https://") ?? false;
}

function contentSecurityPolicy(nonce: string, isDev: boolean): string {
  const secure = isSecureSite();
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(secure ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

export function proxy(request: NextRequest) {
  const incomingId = request.headers.get("x-request-id");
  const requestId = incomingId && REQUEST_ID.test(incomingId) ? incomingId : crypto.randomUUID();

  const isBearerApiCall = request.nextUrl.pathname.startsWith("/api/v1/") && /^Bearer\s/i.test(request.headers.get("authorization") ?? "");
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  if (!SAFE_METHODS.has(request.method) && !isBearerApiCall && !isSameOrigin(request.headers, process.env.AUTH_URL)) {
    const refusal = NextResponse.json(
      { error: { code: "FORBIDDEN", message: "Cross-site request refused: the Origin header must match this site." } },
      { status: 403, headers: { "cache-control": "no-store" } },
    );
    return withSecurityHeaders(refusal, csp, requestId);
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-request-id", requestId);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  if (isBearerApiCall) requestHeaders.delete("cookie");

  return withSecurityHeaders(NextResponse.next({ request: { headers: requestHeaders } }), csp, requestId);
}

function withSecurityHeaders(response: NextResponse, csp: string, requestId: string): NextResponse {
  response.headers.set("content-security-policy", csp);
  response.headers.set("x-request-id", requestId);
  response.headers.set("x-content-type-options", "nosniff");
  response.headers.set("referrer-policy", "strict-origin-when-cross-origin");
  response.headers.set("permissions-policy", "camera=(), microphone=(), geolocation=()");
  if (isSecureSite()) response.headers.set("strict-transport-security", `max-age=${ONE_YEAR_SECONDS}; includeSubDomains`);
  return response;
}

export const config = {
  // Everything except Next's hashed static assets (their headers come from next.config.js);
  // /api is deliberately included.
  matcher: ["/((?!_next/static|_next/image).*)"],
};
