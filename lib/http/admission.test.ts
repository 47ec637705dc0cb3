import { describe, expect, it } from "vitest";
import { AdmissionGate } from "@/lib/http/admission";
import { isMetricsAuthorized } from "@/lib/metrics";

describe("the admission gate", () => {
  it("serves up to its limit, queues a few, turns the rest away at once, and lets the queue in as slots free up", async () => {
    const gate = new AdmissionGate({ maxConcurrent: 2, maxQueued: 1, maxWaitMs: 10_000 });
    const first = await gate.admit();
    const second = await gate.admit();
    const queued = gate.admit();
    expect(await gate.admit()).toEqual({ admitted: false, reason: "queue_full" });
    expect([gate.inFlight, gate.queued]).toEqual([2, 1]);
    if (first.admitted) first.release();
    expect((await queued).admitted).toBe(true);
    expect([gate.inFlight, gate.queued]).toEqual([2, 0]);
    if (second.admitted) second.release();
  });

  it("turns a queued request away when it waited too long, or gives its place up when the client left", async () => {
    const gate = new AdmissionGate({ maxConcurrent: 1, maxQueued: 2, maxWaitMs: 50 });
    await gate.admit();
    expect(await gate.admit()).toEqual({ admitted: false, reason: "queue_timeout" });
    const left = new AbortController();
    const waiting = gate.admit(left.signal);
    left.abort();
    expect((await waiting).admitted).toBe(false);
    expect(gate.queued).toBe(0);
  });
});

describe("the metrics token", () => {
  it("admits only the exact bearer token, and nothing when none is configured", () => {
    const token = "t".repeat(32);
    expect(isMetricsAuthorized(`Bearer ${token}`, token)).toBe(true);
    expect(isMetricsAuthorized(`Bearer ${token}x`, token)).toBe(false);
    expect(isMetricsAuthorized(token, token)).toBe(false);
    expect(isMetricsAuthorized(undefined, token)).toBe(false);
    expect(isMetricsAuthorized(`Bearer ${token}`, undefined)).toBe(false);
  });
});
