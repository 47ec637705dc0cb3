import { describe, expect, it, vi } from "vitest";
import type { ServiceContext } from "@/lib/request";
import { GET as getCheckpoint } from "@/app/api/v1/audit/checkpoint/route";
import { GET as getVerify, POST as postVerify } from "@/app/api/v1/audit/verify/route";
import { ctx, makeActor, makeUser, makeProject, actorFor } from "./factories";

// The route handlers of /api/v1/audit/verify and /checkpoint through lib/api.ts, against the
// database. Only the session cookie is stood in for: requireContext returns the actor a test
// signed in (as the real one does after reading the cookie); policy, services, checkpoint
// signatures and the chain are the real ones. Browser-level checks (the cookie, Origin) are
// the end-to-end tests' business.

const session = vi.hoisted(() => ({ current: null as ServiceContext | null }));
vi.mock("@/lib/auth", async () => {
  const { AppError } = await import("@/lib/errors");
  return {
    requireContext: async () => {
      if (!session.current) throw new AppError("UNAUTHORIZED", "Please sign in again.");
      return session.current;
    },
  };
});

const noParams = { params: Promise.resolve({}) };
const url = (path: string) => `http://localhost${path}`;

async function as(globalRoles: ("ADMIN" | "AUDITOR")[] | "lead" | null) {
  if (globalRoles === null) session.current = null;
  else if (globalRoles === "lead") {
    const user = await makeUser();
    await makeProject([{ user, roles: ["LEAD"] }]);
    session.current = ctx(await actorFor(user));
  } else session.current = ctx((await makeActor(globalRoles)).actor);
}

describe("GET/POST /api/v1/audit/verify and GET /api/v1/audit/checkpoint", () => {
  it("answer 401 without a session and 403 to people who are neither auditors nor admins", async () => {
    await as(null);
    expect((await getVerify(new Request(url("/api/v1/audit/verify")), noParams)).status).toBe(401);
    expect((await getCheckpoint(new Request(url("/api/v1/audit/checkpoint")), noParams)).status).toBe(401);
    await as("lead");
    const refused = await getVerify(new Request(url("/api/v1/audit/verify")), noParams);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: { code: "FORBIDDEN", message: "You are not allowed to do that." } });
    expect((await getCheckpoint(new Request(url("/api/v1/audit/checkpoint")), noParams)).status).toBe(403);
  });

  it("verify for an auditor (200, not cached); the checkpoint for admins only", async () => {
    await as(["AUDITOR"]);
    const response = await getVerify(new Request(url("/api/v1/audit/verify")), noParams);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toMatchObject({ ok: true, checked: expect.any(Number), lastSeq: expect.any(Number), lastHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await getCheckpoint(new Request(url("/api/v1/audit/checkpoint")), noParams)).status).toBe(403);
  });

  it("takes a checkpoint back as the POST body or in ?checkpoint=, and refuses an altered one (422)", async () => {
    await as(["ADMIN"]);
    const exported = await getCheckpoint(new Request(url("/api/v1/audit/checkpoint")), noParams);
    expect(exported.status).toBe(200);
    const checkpoint = await exported.json();
    expect(exported.headers.get("content-disposition")).toBe(`attachment; filename="audit-checkpoint-${checkpoint.seq}.json"`);

    await as(["AUDITOR"]);
    const posted = await postVerify(new Request(url("/api/v1/audit/verify"), { method: "POST", body: JSON.stringify(checkpoint) }), noParams);
    expect(posted.status).toBe(200);
    expect(await posted.json()).toMatchObject({ ok: true, checkpoint: { seq: checkpoint.seq, hash: checkpoint.hash, signature: "valid" } });

    const query = await getVerify(new Request(url(`/api/v1/audit/verify?checkpoint=${encodeURIComponent(JSON.stringify(checkpoint))}`)), noParams);
    expect(await query.json()).toMatchObject({ ok: true, checkpoint: { seq: checkpoint.seq } });

    const altered = await postVerify(new Request(url("/api/v1/audit/verify"), { method: "POST", body: JSON.stringify({ ...checkpoint, exportedAt: new Date().toISOString() }) }), noParams);
    expect(altered.status).toBe(422);
    expect(await altered.json()).toMatchObject({ error: { code: "INVALID_INPUT", fieldErrors: { signature: [expect.any(String)] } } });
    expect((await getVerify(new Request(url("/api/v1/audit/verify?checkpoint=%7B")), noParams)).status).toBe(422);
    expect((await postVerify(new Request(url("/api/v1/audit/verify"), { method: "POST", body: "" }), noParams)).status).toBe(422);
  });
});
