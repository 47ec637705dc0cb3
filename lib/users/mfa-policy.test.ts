import { describe, expect, it } from "vitest";
import { pendingMfaStep } from "@/lib/users/mfa-policy";

describe("what a session must do about two-step sign-in", () => {
  const person = { globalRoles: [] as string[], approves: false, enrolled: false, sessionProof: "password" };

  it("sends admins and approvers without an authenticator to set one up, when the setting requires it", () => {
    expect(pendingMfaStep("required", { ...person, globalRoles: ["ADMIN"] })).toBe("set-up");
    expect(pendingMfaStep("required", { ...person, approves: true })).toBe("set-up");
    expect(pendingMfaStep("required", { ...person, globalRoles: ["AUDITOR"] })).toBeNull();
    expect(pendingMfaStep("required", person)).toBeNull();
  });

  it("is satisfied by a provider that vouched for a second factor, or a code given at sign-in", () => {
    expect(pendingMfaStep("required", { ...person, approves: true, sessionProof: "oidc+mfa" })).toBeNull();
    expect(pendingMfaStep("required", { ...person, approves: true, sessionProof: "oidc" })).toBe("set-up");
    expect(pendingMfaStep("required", { ...person, globalRoles: ["ADMIN"], enrolled: true, sessionProof: "password+totp" })).toBeNull();
  });

  it("asks whoever has an authenticator for a code after a single sign-on that did not vouch for one, whatever the setting", () => {
    expect(pendingMfaStep("required", { ...person, enrolled: true, sessionProof: "oidc" })).toBe("verify");
    expect(pendingMfaStep("optional", { ...person, enrolled: true, sessionProof: "oidc" })).toBe("verify");
    expect(pendingMfaStep("optional", { ...person, enrolled: true, sessionProof: "oidc+totp" })).toBeNull();
    expect(pendingMfaStep("optional", { ...person, enrolled: true, sessionProof: "oidc+mfa" })).toBeNull();
  });

  it("asks nothing of anyone without an authenticator when optional", () => {
    expect(pendingMfaStep("optional", { ...person, globalRoles: ["ADMIN"], approves: true })).toBeNull();
  });
});
