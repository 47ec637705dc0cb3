import { describe, expect, it } from "vitest";
import { decideSso, providerAssertsMfa, ssoClaimsSchema } from "@/lib/users/sso";

const claims = ssoClaimsSchema.parse({ issuer: "https://id.example.com", subject: "u-1", email: "Ana@Example.com", emailVerified: true });
const account = (overrides: Partial<Parameters<typeof decideSso>[1] & object> = {}) => ({ id: "user-1", name: "Ana", email: "ana@example.com", disabledAt: null, identities: [], ...overrides });
const settings = { jitDomains: [] };

describe("decideSso: who a single sign-on is", () => {
  it("is the account linked to this issuer and subject, whatever email the provider now presents", () => {
    expect(decideSso({ ...claims, email: "renamed@example.com" }, account(), null, settings)).toEqual({ kind: "known", userId: "user-1" });
  });

  it("links an account an admin made, by its verified email, at the first sign-in", () => {
    expect(claims.email).toBe("ana@example.com");
    expect(decideSso(claims, null, account(), settings)).toEqual({ kind: "link", userId: "user-1" });
  });

  it("refuses an email the provider did not verify, even for an existing account", () => {
    expect(decideSso({ ...claims, emailVerified: false }, null, account(), settings)).toMatchObject({ kind: "refuse", reason: "sso_email_unverified" });
  });

  it("refuses a second issuer (or another subject) presenting the email of an account already linked: no takeover", () => {
    const linked = account({ identities: [{ issuer: "https://first.example.com", subject: "u-9" }] });
    expect(decideSso(claims, null, linked, settings)).toEqual({ kind: "refuse", reason: "sso_identity_conflict", userId: "user-1" });
  });

  it("refuses a disabled account, linked or not", () => {
    expect(decideSso(claims, account({ disabledAt: new Date() }), null, settings)).toMatchObject({ kind: "refuse", reason: "disabled" });
    expect(decideSso(claims, null, account({ disabledAt: new Date() }), settings)).toMatchObject({ kind: "refuse", reason: "disabled" });
  });

  it("creates an account only for an allowed domain, else refuses an unknown email", () => {
    expect(decideSso(claims, null, null, { jitDomains: ["example.com"] })).toEqual({ kind: "create" });
    expect(decideSso(claims, null, null, { jitDomains: ["example.org"] })).toEqual({ kind: "refuse", reason: "unknown_email", userId: null });
    expect(decideSso({ ...claims, email: "eve@evil-example.com" }, null, null, { jitDomains: ["example.com"] })).toMatchObject({ kind: "refuse" });
  });
});

describe("providerAssertsMfa", () => {
  it.each([
    [["mfa"], null, true],
    [["pwd", "otp"], null, true],
    [["hwk"], null, false],
    [["pwd"], null, false],
    [[], "urn:example:mfa", true],
    [[], "phr", true],
    [["pwd"], "urn:example:password", false],
  ] as const)("amr %j, acr %s: %s", (amr, acr, expected) => {
    expect(providerAssertsMfa({ amr: [...amr], acr })).toBe(expected);
  });
});
