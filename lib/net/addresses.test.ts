import { describe, expect, it } from "vitest";
import { allowableRangeOf, classifyAddress, isAlwaysRefused, type AddressKind } from "@/lib/net/addresses";

const kindOf = (address: string) => classifyAddress(address).kind;

describe("classifyAddress", () => {
  it.each<[string, AddressKind]>([
    ["169.254.169.254", "metadata"],
    ["fd00:ec2::254", "metadata"],
    ["100.100.100.200", "metadata"],
    ["168.63.129.16", "metadata"],
    ["169.254.0.1", "link-local"],
    ["169.254.255.255", "link-local"],
    ["fe80::1", "link-local"],
    ["febf:ffff::1", "link-local"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["::", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["ff02::1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["192.0.2.10", "reserved"],
    ["198.51.100.1", "reserved"],
    ["203.0.113.9", "reserved"],
    ["198.18.0.1", "reserved"],
    ["2001:db8::1", "reserved"],
    ["100::1", "reserved"],
    ["2001::1", "reserved"],
    ["4000::1", "reserved"],
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["::1", "loopback"],
    ["10.0.0.5", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["fc00::1", "private"],
    ["fd12:3456::1", "private"],
    ["100.64.0.1", "shared"],
    ["100.127.255.255", "shared"],
    ["8.8.8.8", "public"],
    ["172.32.0.1", "public"],
    ["100.128.0.1", "public"],
    ["2606:4700::1111", "public"],
  ])("%s is %s", (address, kind) => {
    expect(kindOf(address)).toBe(kind);
  });

  it("judges an IPv6 form by the IPv4 address it leads to", () => {
    expect(classifyAddress("::ffff:127.0.0.1")).toEqual({ kind: "loopback", ipv4: "127.0.0.1" });
    expect(classifyAddress("::ffff:7f00:1")).toEqual({ kind: "loopback", ipv4: "127.0.0.1" });
    expect(classifyAddress("::ffff:a9fe:a9fe")).toEqual({ kind: "metadata", ipv4: "169.254.169.254" });
    expect(kindOf("::ffff:169.254.1.1")).toBe("link-local");
    expect(kindOf("::ffff:10.0.0.5")).toBe("private");
    expect(kindOf("::ffff:0:127.0.0.1")).toBe("loopback");
    expect(kindOf("0:0:0:0:0:ffff:0a00:0005")).toBe("private");
    // IPv4-compatible (deprecated): its special cases as they are, anything else reserved.
    expect(kindOf("::127.0.0.1")).toBe("loopback");
    expect(kindOf("::7f00:1")).toBe("loopback");
    expect(kindOf("::8.8.8.8")).toBe("reserved");
    // NAT64 and 6to4 carry the address they reach.
    expect(classifyAddress("64:ff9b::169.254.169.254")).toEqual({ kind: "metadata", ipv4: "169.254.169.254" });
    expect(kindOf("64:ff9b::7f00:1")).toBe("loopback");
    expect(kindOf("64:ff9b::808:808")).toBe("public");
    expect(kindOf("64:ff9b:1::1")).toBe("reserved");
    expect(kindOf("2002:a9fe:a9fe::1")).toBe("metadata");
    expect(kindOf("2002:c0a8:101::1")).toBe("private");
    expect(kindOf("::ffff:8.8.8.8")).toBe("public");
  });

  it("refuses link-local, metadata and the other special kinds always; loopback, private and shared only unless allowed", () => {
    const always: AddressKind[] = ["link-local", "metadata", "unspecified", "multicast", "broadcast", "reserved"];
    for (const kind of always) expect(isAlwaysRefused(kind)).toBe(true);
    for (const kind of ["public", "loopback", "private", "shared"] as AddressKind[]) expect(isAlwaysRefused(kind)).toBe(false);
  });

  it("throws on what is not an IP address", () => {
    expect(() => classifyAddress("localhost")).toThrow(TypeError);
    expect(() => classifyAddress("127.1")).toThrow(TypeError);
  });
});

describe("allowableRangeOf", () => {
  it("accepts ranges wholly inside loopback, private or shared space, nothing wider or elsewhere", () => {
    expect(allowableRangeOf("127.0.0.1", 32)).toBe("loopback");
    expect(allowableRangeOf("10.20.0.0", 16)).toBe("private");
    expect(allowableRangeOf("100.64.0.0", 10)).toBe("shared");
    expect(allowableRangeOf("fd00::", 8)).toBe("private");
    expect(allowableRangeOf("10.0.0.0", 7)).toBeUndefined();
    expect(allowableRangeOf("0.0.0.0", 0)).toBeUndefined();
    expect(allowableRangeOf("169.254.0.0", 16)).toBeUndefined();
    expect(allowableRangeOf("169.254.169.254", 32)).toBeUndefined();
    expect(allowableRangeOf("fd00:ec2::254", 128)).toBeUndefined();
    expect(allowableRangeOf("8.8.8.0", 24)).toBeUndefined();
  });
});
