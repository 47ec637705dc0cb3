import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { setProjectWebhook } from "@/lib/projects/mutations";
import { ctx, eventsOf, expectAppError, makeTeam } from "./factories";

// The operator's allowance, as the server reads it from its environment at start-up: set before
// anything in this test file (its own process) reads the configuration.
vi.hoisted(() => {
  process.env.OUTBOUND_ALLOW_PRIVATE = "127.0.0.1/32, 10.20.0.0/16";
});

describe("a project webhook under OUTBOUND_ALLOW_PRIVATE", () => {
  it("may be an allowed internal target, over http too; audited by origin", async () => {
    const team = await makeTeam(["LEAD"]);
    const c = ctx(await team.as("LEAD"));
    await setProjectWebhook(c, { projectId: team.project.id, webhookUrl: "http://127.0.0.1:9999/hook/s3cr3t" });
    expect((await db.project.findUniqueOrThrow({ where: { id: team.project.id }, select: { webhookUrl: true } })).webhookUrl).toBe("http://127.0.0.1:9999/hook/s3cr3t");
    await setProjectWebhook(c, { projectId: team.project.id, webhookUrl: "https://10.20.3.4/hook" });
    expect((await eventsOf(c.requestId)).map((event) => [event.action, event.after])).toEqual([
      [auditActions.PROJECT_WEBHOOK_CHANGED, { webhook: "http://127.0.0.1:9999/…" }],
      [auditActions.PROJECT_WEBHOOK_CHANGED, { webhook: "https://10.20.3.4/…" }],
    ]);
  });

  it("opens nothing beyond the allowance, and never metadata or link-local", async () => {
    const team = await makeTeam(["LEAD"]);
    const c = ctx(await team.as("LEAD"));
    const refusals: [string, string][] = [
      ["http://127.0.0.2/", "127.0.0.2 is a loopback address: not allowed unless the server's OUTBOUND_ALLOW_PRIVATE permits it."],
      ["https://10.21.0.1/", "10.21.0.1 is a private address: not allowed unless the server's OUTBOUND_ALLOW_PRIVATE permits it."],
      ["http://[::1]:3000/", "::1 is a loopback address: not allowed unless the server's OUTBOUND_ALLOW_PRIVATE permits it."],
      ["https://169.254.169.254/latest/meta-data", "169.254.169.254 is a cloud metadata address: never allowed."],
      ["https://[::ffff:169.254.169.254]/", "::ffff:a9fe:a9fe (169.254.169.254) is a cloud metadata address: never allowed."],
      ["https://metadata.google.internal/", "metadata.google.internal is a cloud metadata name: never allowed."],
      ["https://169.254.1.1/", "169.254.1.1 is a link-local address: never allowed."],
    ];
    for (const [webhookUrl, reason] of refusals) {
      const error = await expectAppError(setProjectWebhook(c, { projectId: team.project.id, webhookUrl }), "INVALID_INPUT");
      expect(error.fieldErrors).toEqual({ webhookUrl: [reason] });
    }
    expect(await eventsOf(c.requestId)).toEqual([]);
    expect((await db.project.findUniqueOrThrow({ where: { id: team.project.id }, select: { webhookUrl: true } })).webhookUrl).toBeNull();
  });
});
