import { NextResponse, type NextRequest } from "next/server";

// Runs before every request (Next 16's successor to middleware):
// - gives each request an id that audit events and logs carry;
// - sets a nonce-based Content-Security-Policy (so pages render dynamically);
// - refuses cross-site state-changing requests. Next's own check for Server Actions lets a
//   request without an Origin header through, so the Origin (or Sec-Fetch-Site) is checked
//   here for every non-GET request that is not an API call authenticated by a bearer token.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

function isSameOrigin(request: NextRequest): boolean {
  const origin = request.headers.get("origin");
  if (origin && origin !== "null") {
    const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  }
  return request.headers.get("sec-fetch-site") === "same-origin";
}

function contentSecurityPolicy(nonce: string, isDev: boolean): string {
  const secure = process.env.AUTH_URL?.startsWith("https://") ?? false;
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(secure ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

export function proxy(request: NextRequest) {
  const incomingId = request.headers.get("x-request-id");
  const requestId = incomingId && REQUEST_ID.test(incomingId) ? incomingId : crypto.randomUUID();

  const isBearerApiCall = request.nextUrl.pathname.startsWith("/api/v1/") && /^Bearer\s/i.test(request.headers.get("authorization") ?? "");
  if (!SAFE_METHODS.has(request.method) && !isBearerApiCall && !isSameOrigin(request)) {
    return NextResponse.json(
      { error: { code: "FORBIDDEN", message: "Cross-site request refused: the Origin header must match this site." } },
      { status: 403, headers: { "x-request-id": requestId } },
    );
  }

  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-request-id", requestId);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);

  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  response.headers.set("x-request-id", requestId);
  response.headers.set("x-content-type-options", "nosniff");
  response.headers.set("referrer-policy", "strict-origin-when-cross-origin");
  response.headers.set("permissions-policy", "camera=(), microphone=(), geolocation=()");
  return response;
}

export const config = {
  // Everything except Next's static assets; /api is deliberately included.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
