// Whether a state-changing request comes from this site. The site's origin is the configured
// public URL (AUTH_URL), else the scheme and host the request came in on, as the app's edge
// established them (lib/http/forwarded.ts). Scheme, host and port must all match: a request from
// `https://shipshape.test` is not from `http://shipshape.test`.

type HeaderReader = { get(name: string): string | null };

export function siteOrigin(headers: HeaderReader, publicUrl: string | undefined): string | null {
  if (publicUrl && URL.canParse(publicUrl)) return new URL(publicUrl).origin;
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  const proto = headers.get("x-forwarded-proto") === "https" ? "https" : "http";
  const candidate = `${proto}://${host}`;
  return host && URL.canParse(candidate) ? new URL(candidate).origin : null;
}

/**
 * Browsers send Origin with every cross-origin and same-origin POST; without one, only a
 * browser's own `Sec-Fetch-Site: same-origin` vouches for the request. `Origin: null` (sandboxed
 * frames, some redirects) never matches.
 */
export function isSameOrigin(headers: HeaderReader, publicUrl: string | undefined): boolean {
  const origin = headers.get("origin");
  if (origin === null) return headers.get("sec-fetch-site") === "same-origin";
  const site = siteOrigin(headers, publicUrl);
  return origin !== "null" && site !== null && URL.canParse(origin) && new URL(origin).origin === site;
}
