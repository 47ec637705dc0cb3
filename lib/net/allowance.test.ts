import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";
import { AllowanceError, parseOutboundAllowance } from "@/lib/net/allowance";

function problemsOf(text: string): string[] {
  try {
    parseOutboundAllowance(text);
  } catch (error) {
    expect(error).toBeInstanceOf(AllowanceError);
    return (error as AllowanceError).problems;
  }
  throw new Error(`accepted ${text}`);
}

describe("parseOutboundAllowance", () => {
  it("takes CIDRs, single addresses and host names, comma-separated", () => {
    const allowance = parseOutboundAllowance(" 127.0.0.1/32, 10.20.0.0/16 ,fd12::/16,192.168.5.7, Hooks.Internal., ");
    expect(allowance.entries).toEqual(["127.0.0.1/32", "10.20.0.0/16", "fd12::/16", "192.168.5.7/32", "hooks.internal"]);
    expect(allowance.allowsAddress("127.0.0.1")).toBe(true);
    expect(allowance.allowsAddress("127.0.0.2")).toBe(false);
    expect(allowance.allowsAddress("10.20.255.1")).toBe(true);
    expect(allowance.allowsAddress("10.21.0.1")).toBe(false);
    expect(allowance.allowsAddress("fd12:abcd::1")).toBe(true);
    expect(allowance.allowsAddress("192.168.5.7")).toBe(true);
    expect(allowance.allowsAddress("192.168.5.8")).toBe(false);
    // An IPv6 form of an allowed IPv4 address leads to the same place.
    expect(allowance.allowsAddress("::ffff:127.0.0.1")).toBe(true);
    expect(allowance.allowsName("hooks.internal")).toBe(true);
    expect(allowance.allowsName("other.internal")).toBe(false);
  });

  it("an empty value allows nothing", () => {
    const allowance = parseOutboundAllowance("");
    expect(allowance.entries).toEqual([]);
    expect(allowance.allowsAddress("127.0.0.1")).toBe(false);
  });

  it("can never open link-local, metadata or other always-refused ranges, nor anything wider than a private range", () => {
    expect(problemsOf("169.254.169.254")).toEqual(["169.254.169.254 is a cloud metadata address, which can never be allowed"]);
    expect(problemsOf("169.254.0.0/16")).toEqual(["169.254.0.0/16 is a link-local address, which can never be allowed"]);
    expect(problemsOf("fd00:ec2::254/128")).toEqual(["fd00:ec2::254/128 is a cloud metadata address, which can never be allowed"]);
    expect(problemsOf("fe80::/10")).toEqual(["fe80::/10 is a link-local address, which can never be allowed"]);
    expect(problemsOf("0.0.0.0/0")[0]).toMatch(/can never be allowed/);
    expect(problemsOf("10.0.0.0/7")).toEqual(["10.0.0.0/7 is not wholly inside a loopback, private or shared range (public addresses need no allowance)"]);
    expect(problemsOf("8.8.8.0/24")[0]).toMatch(/public addresses need no allowance/);
    expect(problemsOf("metadata.google.internal, METADATA")).toEqual([
      "metadata.google.internal is a cloud metadata name, which can never be allowed",
      "metadata is a cloud metadata name, which can never be allowed",
    ]);
    expect(problemsOf("10.0.0.0/33, 10.0.0.0/8/1, http://x/, not a host")).toHaveLength(4);
  });

  it("is read from OUTBOUND_ALLOW_PRIVATE, and a bad entry stops the server with a message naming the variable", () => {
    const good = { DATABASE_URL: "postgresql://shipshape@127.0.0.1:5432/shipshape", AUTH_SECRET: "x".repeat(32) };
    expect(parseEnv(good).OUTBOUND_ALLOW_PRIVATE).toBeUndefined();
    expect(parseEnv({ ...good, OUTBOUND_ALLOW_PRIVATE: "127.0.0.1/32,10.20.0.0/16" }).OUTBOUND_ALLOW_PRIVATE?.entries).toEqual(["127.0.0.1/32", "10.20.0.0/16"]);
    expect(() => parseEnv({ ...good, OUTBOUND_ALLOW_PRIVATE: "10.0.0.0/8,169.254.169.254/32" })).toThrow(EnvError);
    try {
      parseEnv({ ...good, OUTBOUND_ALLOW_PRIVATE: "10.0.0.0/8,169.254.169.254/32" });
    } catch (error) {
      expect((error as EnvError).problems).toEqual(["OUTBOUND_ALLOW_PRIVATE 169.254.169.254/32 is a cloud metadata address, which can never be allowed"]);
    }
  });
});
