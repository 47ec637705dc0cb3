import { afterEach, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { proxy } from "@/proxy";

// The proxy's own decisions, without a server: which requests it refuses and which headers every
// response carries. (e2e/security.spec.ts replays the same requests against the built app.)

const originalAuthUrl = process.env.AUTH_URL;
afterEach(() => {
  process.env.AUTH_URL = originalAuthUrl;
});

function request(path: string, init: { method?: string; headers?: Record<string, string> } = {}) {
  return new NextRequest(`http://localhost:3000${path}`, { method: init.method ?? "GET", headers: { host: "localhost:3000", ...init.headers } });
}

describe("proxy", () => {
  it("sends HSTS for a year when the public URL is https, and not over plain http", () => {
    process.env.AUTH_URL = "https://review.example";
    expect(proxy(request("/")).headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    process.env.AUTH_URL = "";
    expect(proxy(request("/")).headers.get("strict-transport-security")).toBeNull();
  });

  it("forbids base URIs and framing in the CSP of every response, refusals included", () => {
    const csp = proxy(request("/")).headers.get("content-security-policy") ?? "";
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    const refused = proxy(request("/api/v1/projects", { method: "POST", headers: { origin: "https://evil.example" } }));
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-security-policy")).toContain("base-uri 'none'");
    expect(refused.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("compares the whole origin with the configured public URL", () => {
    process.env.AUTH_URL = "https://review.example";
    const post = (origin: string) => proxy(request("/api/v1/projects", { method: "POST", headers: { origin } })).status;
    expect(post("http://review.example")).toBe(403);
    expect(post("https://review.example:8443")).toBe(403);
    expect(post("https://review.example")).toBe(200);
  });

  it("takes the cookies off a bearer-token API call, so the route cannot fall back to the session", () => {
    const response = proxy(request("/api/v1/projects", { method: "POST", headers: { origin: "https://evil.example", authorization: "Bearer junk", cookie: "shipshape.session=abc" } }));
    expect(response.status).toBe(200);
    // NextResponse.next() hands the rewritten request headers on in x-middleware-override-headers.
    const overridden = response.headers.get("x-middleware-override-headers")?.split(",") ?? [];
    expect(overridden).not.toContain("cookie");
    expect(response.headers.get("x-middleware-request-cookie")).toBeNull();
  });
});
