import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { apiReadRoute } from "@/lib/api";
import { createApiToken, createReadToken, revokeApiToken } from "@/lib/tokens/mutations";
import { GET as exportHistory } from "@/app/api/v1/audit/export/route";
import { GET as verifyChain } from "@/app/api/v1/audit/verify/route";
import { actorFor, ctx, expectAppError, makeTeam, makeUser } from "./factories";

// An auditor's API access: a read-only token that reads as its owner, as the owner stands now,
// and reaches read routes only. Tokens, their owners, the policy and the routes are real; only
// the session cookie path is stood in for (no request carries a cookie here, so it refuses, as
// the real one does without a cookie).

vi.mock("@/lib/auth", async () => {
  const { AppError } = await import("@/lib/errors");
  return {
    requireContext: async () => {
      throw new AppError("UNAUTHORIZED", "Please sign in again.");
    },
  };
});

const noParams = { params: Promise.resolve({}) };
const call = (handler: (request: Request, context: typeof noParams) => Promise<Response>, path: string, token: string, method = "GET") =>
  handler(new Request(`http://localhost${path}`, { method, headers: { authorization: `Bearer ${token}` } }), noParams);

describe("read-only API tokens", () => {
  it("let an auditor export and verify the audit trail through the API, as themselves", async () => {
    const auditor = await makeUser({ globalRoles: ["AUDITOR"] });
    const { token } = await createReadToken(ctx(await actorFor(auditor)), { name: "Quarterly export" });
    const exported = await call(exportHistory, "/api/v1/audit/export?format=jsonl", token);
    expect(exported.status).toBe(200);
    expect((await exported.text()).split("\n").filter(Boolean).length).toBeGreaterThan(0);
    const verified = await call(verifyChain, "/api/v1/audit/verify", token);
    expect(verified.status).toBe(200);
    expect(await verified.json()).toMatchObject({ ok: true });
    expect((await db.apiToken.findFirstOrThrow({ where: { createdById: auditor.id }, select: { scope: true, lastUsedAt: true } })).scope).toBe("READ");
  });

  it("never write: a read route refuses anything but GET, and write routes take no tokens", async () => {
    const auditor = await makeUser({ globalRoles: ["AUDITOR"] });
    const { token } = await createReadToken(ctx(await actorFor(auditor)), { name: "Scripts" });
    const handler = apiReadRoute(async () => ({ reached: true }));
    expect((await call(handler, "/api/v1/anything", token, "POST")).status).toBe(403);
    expect((await call(handler, "/api/v1/anything", token)).status).toBe(200);
  });

  it("stop working when the owner is disabled or is no longer an auditor or admin, and when revoked", async () => {
    const auditor = await makeUser({ globalRoles: ["AUDITOR"] });
    const actor = await actorFor(auditor);
    const first = await createReadToken(ctx(actor), { name: "One" });
    const second = await createReadToken(ctx(actor), { name: "Two" });
    await db.user.update({ where: { id: auditor.id }, data: { globalRoles: [] } });
    expect((await call(exportHistory, "/api/v1/audit/export?format=csv", first.token)).status).toBe(401);
    await db.user.update({ where: { id: auditor.id }, data: { globalRoles: ["AUDITOR"], disabledAt: new Date() } });
    expect((await call(exportHistory, "/api/v1/audit/export?format=csv", first.token)).status).toBe(401);
    await db.user.update({ where: { id: auditor.id }, data: { disabledAt: null } });
    expect((await call(exportHistory, "/api/v1/audit/export?format=csv", first.token)).status).toBe(200);
    expect(await revokeApiToken(ctx(actor), { tokenId: second.id })).toEqual({ revoked: true });
    expect((await call(exportHistory, "/api/v1/audit/export?format=csv", second.token)).status).toBe(401);
  });

  it("are only for auditors and admins, each revoking their own; a pipeline's gate token reads gates only", async () => {
    const team = await makeTeam(["LEAD"]);
    const lead = await team.as("LEAD");
    await expectAppError(createReadToken(ctx(lead), { name: "Mine" }), "FORBIDDEN");
    const admin = await actorFor(await makeUser({ globalRoles: ["ADMIN"] }));
    const auditor = await actorFor(await makeUser({ globalRoles: ["AUDITOR"] }));
    const adminToken = await createReadToken(ctx(admin), { name: "Admin scripts" });
    await expectAppError(revokeApiToken(ctx(auditor), { tokenId: adminToken.id }), "NOT_FOUND");
    await expectAppError(createReadToken(ctx(admin), { name: "" }), "INVALID_INPUT");

    const gate = await createApiToken(ctx(lead), { name: "CI", projectId: team.project.id });
    expect((await call(exportHistory, "/api/v1/audit/export?format=csv", gate.token)).status).toBe(401);
  });
});
