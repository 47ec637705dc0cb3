import { describe, expect, it } from "vitest";
import { isSameOrigin, siteOrigin } from "@/lib/http/origin";

const headers = (values: Record<string, string>) => new Headers(values);

describe("siteOrigin", () => {
  it("is the configured public URL's origin when there is one", () => {
    expect(siteOrigin(headers({ host: "10.0.0.5:3000" }), "https://review.example/base")).toBe("https://review.example");
  });

  it("else the scheme and host the edge established", () => {
    expect(siteOrigin(headers({ host: "localhost:3000" }), undefined)).toBe("http://localhost:3000");
    expect(siteOrigin(headers({ host: "localhost:3000", "x-forwarded-host": "review.example", "x-forwarded-proto": "https" }), undefined)).toBe("https://review.example");
  });
});

describe("isSameOrigin", () => {
  const site = "http://shipshape.test:3000";

  it("accepts the site's own origin", () => {
    expect(isSameOrigin(headers({ origin: site }), site)).toBe(true);
  });

  it.each([
    ["another site", "https://evil.example"],
    ["the same host over another scheme", "https://shipshape.test:3000"],
    ["the same host on another port", "http://shipshape.test:3001"],
    ["a null origin", "null"],
    ["garbage", "not a url"],
  ])("refuses %s", (_case, origin) => {
    expect(isSameOrigin(headers({ origin }), site)).toBe(false);
  });

  it("is not fooled by a forwarded host when a public URL is configured", () => {
    expect(isSameOrigin(headers({ origin: "https://evil.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" }), site)).toBe(false);
  });

  it("without an Origin header, trusts only a browser's same-origin fetch metadata", () => {
    expect(isSameOrigin(headers({ "sec-fetch-site": "same-origin" }), site)).toBe(true);
    expect(isSameOrigin(headers({ "sec-fetch-site": "cross-site" }), site)).toBe(false);
    expect(isSameOrigin(headers({}), site)).toBe(false);
  });
});
