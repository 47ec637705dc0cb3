import { describe, expect, it } from "vitest";
import { describeAuditEvent } from "@/lib/audit/format";

describe("describeAuditEvent", () => {
  it("describes membership changes with names and roles", () => {
    expect(describeAuditEvent({ action: "member.added", before: null, after: { name: "Priya Raman", roles: ["DBA", "SECURITY"] } })).toBe(
      "Added Priya Raman as DBA, SECURITY",
    );
    expect(describeAuditEvent({ action: "member.roles_changed", before: { name: "Priya", roles: ["DBA"] }, after: { name: "Priya", roles: ["LEAD"] } })).toBe(
      "Changed roles of Priya from DBA to LEAD",
    );
    expect(describeAuditEvent({ action: "member.removed", before: { name: "Priya", roles: ["DBA"] }, after: null })).toBe("Removed Priya (DBA)");
  });

  it("describes a refused sign-in without trusting the shape of the payload", () => {
    expect(describeAuditEvent({ action: "auth.sign_in_failed", before: null, after: { email: "x@y.z", reason: "wrong_password" } })).toBe(
      "Sign-in refused for x@y.z (wrong password)",
    );
    expect(describeAuditEvent({ action: "auth.sign_in_failed", before: null, after: "garbage" })).toBe("Sign-in refused for unknown email (unknown)");
  });

  it("falls back to the action name for an event it does not know", () => {
    expect(describeAuditEvent({ action: "checklist.future_event", before: null, after: null })).toBe("checklist.future_event");
  });
});
