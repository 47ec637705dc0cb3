import { describe, expect, it } from "vitest";
import { forwardedFacts, isTrustedProxy, parseTrustedProxies } from "@/lib/http/forwarded";

const none = parseTrustedProxies(undefined);
const proxies = parseTrustedProxies("10.0.0.0/8, 127.0.0.1, fd00::/8");

describe("parseTrustedProxies", () => {
  it("reads addresses and CIDR ranges of both families", () => {
    expect(proxies.entries).toEqual(["10.0.0.0/8", "127.0.0.1", "fd00::/8"]);
    expect(isTrustedProxy(proxies, "10.200.3.4")).toBe(true);
    expect(isTrustedProxy(proxies, "::ffff:127.0.0.1")).toBe(true);
    expect(isTrustedProxy(proxies, "fd12::1")).toBe(true);
    expect(isTrustedProxy(proxies, "127.0.0.2")).toBe(false);
    expect(isTrustedProxy(proxies, "not an address")).toBe(false);
  });

  it.each(["10.0.0.0/33", "10.0.0.0/", "localhost", "10.0.0.0/8/1", "::1/129", "1.2.3.4/x"])("refuses %s, naming it", (entry) => {
    expect(() => parseTrustedProxies(entry)).toThrow(`"${entry}"`);
  });

  it("trusts nobody when unset or empty", () => {
    expect(parseTrustedProxies("").entries).toEqual([]);
    expect(isTrustedProxy(none, "127.0.0.1")).toBe(false);
  });
});

describe("forwardedFacts", () => {
  const spoofed = { "x-forwarded-for": "203.0.113.9", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https", host: "shipshape.test:3000" };

  it("believes nothing a client sends when no proxy is trusted: the socket decides", () => {
    expect(forwardedFacts({ peerAddress: "::ffff:198.51.100.7", encrypted: false, headers: spoofed, trusted: none })).toEqual({
      clientAddress: "198.51.100.7",
      proto: "http",
      host: "shipshape.test:3000",
    });
  });

  it("believes nothing a client sends when it does not connect through a trusted proxy", () => {
    expect(forwardedFacts({ peerAddress: "198.51.100.7", encrypted: true, headers: spoofed, trusted: proxies })).toEqual({
      clientAddress: "198.51.100.7",
      proto: "https",
      host: "shipshape.test:3000",
    });
  });

  it("takes what a trusted proxy appended: the rightmost address that is not itself a trusted proxy", () => {
    const headers = { "x-forwarded-for": "6.6.6.6, 203.0.113.9, 10.1.1.1", "x-forwarded-proto": "https", "x-forwarded-host": "review.example", host: "10.0.0.2:3000" };
    expect(forwardedFacts({ peerAddress: "10.0.0.1", encrypted: false, headers, trusted: proxies })).toEqual({
      clientAddress: "203.0.113.9",
      proto: "https",
      host: "review.example",
    });
  });

  it("stops at an entry that is no address, and strips ports and brackets", () => {
    expect(forwardedFacts({ peerAddress: "10.0.0.1", encrypted: false, headers: { "x-forwarded-for": "junk, 203.0.113.9:5555" }, trusted: proxies }).clientAddress).toBe("203.0.113.9");
    expect(forwardedFacts({ peerAddress: "10.0.0.1", encrypted: false, headers: { "x-forwarded-for": "[2001:db8::1]:443" }, trusted: proxies }).clientAddress).toBe("2001:db8::1");
    expect(forwardedFacts({ peerAddress: "10.0.0.1", encrypted: false, headers: { "x-forwarded-for": "10.9.9.9, junk" }, trusted: proxies }).clientAddress).toBe("10.0.0.1");
  });

  it("falls back to the proxy's own address and the socket's scheme when the proxy says nothing usable", () => {
    expect(forwardedFacts({ peerAddress: "127.0.0.1", encrypted: false, headers: { "x-forwarded-proto": "gopher", host: "a.test" }, trusted: proxies })).toEqual({
      clientAddress: "127.0.0.1",
      proto: "http",
      host: "a.test",
    });
  });
});
