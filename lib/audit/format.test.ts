import { describe, expect, it } from "vitest";
import { describeAuditEvent } from "@/lib/audit/format";

describe("describeAuditEvent", () => {
  it("describes membership changes with names and roles, in words", () => {
    expect(describeAuditEvent({ action: "member.added", before: null, after: { name: "Priya Raman", roles: ["DBA", "SECURITY"] } })).toBe(
      "Added Priya Raman as DBA, Security",
    );
    expect(describeAuditEvent({ action: "member.roles_changed", before: { name: "Priya", roles: ["DBA"] }, after: { name: "Priya", roles: ["LEAD"] } })).toBe(
      "Changed roles of Priya from DBA to Lead",
    );
    expect(describeAuditEvent({ action: "member.removed", before: { name: "Priya", roles: ["DBA"] }, after: null })).toBe("Removed Priya (DBA)");
  });

  it("describes a refused sign-in without trusting the shape of the payload", () => {
    expect(describeAuditEvent({ action: "auth.sign_in_failed", before: null, after: { email: "x@y.z", reason: "wrong_password" } })).toBe(
      "Sign-in refused for x@y.z (wrong password)",
    );
    expect(describeAuditEvent({ action: "auth.sign_in_failed", before: null, after: "garbage" })).toBe("Sign-in refused for unknown email (unknown)");
  });

  it("says status changes and sign-offs in words, never in codes", () => {
    expect(describeAuditEvent({ action: "item.updated", before: { status: "TODO", title: "Backups" }, after: { status: "IN_PROGRESS", title: "Backups" } })).toBe("Changed “Backups”: status to do → in progress");
    expect(describeAuditEvent({ action: "signoff.given", before: null, after: { decision: "APPROVED", slot: "GO_LIVE", round: 2 } })).toBe("Approved the Go-live sign-off (round 2)");
    expect(describeAuditEvent({ action: "token.created", before: null, after: {} })).toBe("API token created");
  });

  it("falls back to the action name for an event it does not know", () => {
    expect(describeAuditEvent({ action: "checklist.future_event", before: null, after: null })).toBe("checklist.future_event");
  });
});
