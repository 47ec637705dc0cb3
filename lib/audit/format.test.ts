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

  it("describes changes of the sign-off settings and what they made stale in words, not codes", () => {
    const all = ["DEVOPS", "DBA", "SECURITY", "GO_LIVE"];
    expect(describeAuditEvent({ action: "signoff.slots_changed", before: { requiredSlots: all, ownersMayApprove: false }, after: { requiredSlots: ["DBA", "GO_LIVE"], ownersMayApprove: false } })).toBe(
      "Changed the required sign-offs from DevOps, DBA, Security and Go-live to DBA and Go-live",
    );
    expect(describeAuditEvent({ action: "signoff.slots_changed", before: { requiredSlots: ["GO_LIVE"], ownersMayApprove: false }, after: { requiredSlots: ["DBA", "GO_LIVE"], ownersMayApprove: true } })).toBe(
      "Changed the required sign-offs from Go-live to DBA and Go-live, and let area owners sign their own area",
    );
    expect(describeAuditEvent({ action: "signoff.slots_changed", before: { requiredSlots: all, ownersMayApprove: true }, after: { requiredSlots: all, ownersMayApprove: false } })).toBe(
      "Stopped area owners signing their own area",
    );
    expect(describeAuditEvent({ action: "signoff.slots_changed", before: { requiredSlots: all, ownersMayApprove: false }, after: { requiredSlots: all, ownersMayApprove: false } })).toBe(
      "Saved the sign-off settings unchanged (required: DevOps, DBA, Security and Go-live)",
    );
    expect(
      describeAuditEvent({ action: "signoff.slots_changed", before: { requiredSlots: all, ownersMayApprove: false }, after: { requiredSlots: all, ownersMayApprove: false, approveWithOpenItems: true } }),
    ).toBe("Allowed approving a scope with open items (the approver confirms)");
    expect(
      describeAuditEvent({ action: "signoff.slots_changed", before: { requiredSlots: ["GO_LIVE"], ownersMayApprove: false, approveWithOpenItems: true }, after: { requiredSlots: all, ownersMayApprove: true, approveWithOpenItems: false } }),
    ).toBe("Changed the required sign-offs from Go-live to DevOps, DBA, Security and Go-live, let area owners sign their own area, and stopped approvals of scopes with open items");
    const cause = { action: "signoff.slots_changed", itemId: null, title: "from Go-live to DBA and Go-live", requiredSlots: { before: ["GO_LIVE"], after: ["DBA", "GO_LIVE"] } };
    expect(describeAuditEvent({ action: "signoff.stale", before: null, after: { slot: "GO_LIVE", cause } })).toBe("The Go-live sign-off went stale (the required sign-offs changed from Go-live to DBA and Go-live)");
    expect(describeAuditEvent({ action: "signoff.stale", before: null, after: { slot: "DBA", cause: { action: "item.updated", itemId: "i", title: "Backups" } } })).toBe("The DBA sign-off went stale (item changed: Backups)");
    expect(describeAuditEvent({ action: "signoff.given", before: null, after: { slot: "GO_LIVE", decision: "APPROVED", round: 2 } })).toBe("Approved the Go-live sign-off (round 2)");
  });

  it("falls back to the action name for an event it does not know", () => {
    expect(describeAuditEvent({ action: "checklist.future_event", before: null, after: null })).toBe("checklist.future_event");
  });
});
