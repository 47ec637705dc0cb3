import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { loadActorBySession } from "@/lib/users/data";
import { setUserGlobalRoles } from "@/lib/users/mutations";
import { createProject } from "@/lib/projects/mutations";
import { ctx, eventsOf, expectAppError, makeActor, makeUser, signIn } from "./factories";

describe("setUserGlobalRoles", () => {
  it("makes a user an auditor on their very next request, audited with before and after", async () => {
    const { actor: admin } = await makeActor(["ADMIN"]);
    const user = await makeUser();
    const { sessionId } = await signIn(user);
    const context = ctx(admin);
    await setUserGlobalRoles(context, { userId: user.id, globalRoles: ["AUDITOR"] });

    const next = await loadActorBySession(sessionId);
    expect(next?.globalRoles).toEqual(["AUDITOR"]);
    if (!next) throw new Error("the session should still load");
    // An auditor may change nothing, whatever else they are.
    await expectAppError(createProject(ctx(next), { name: "Should Not Exist" }), "FORBIDDEN");

    const events = await eventsOf(context.requestId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "user.roles_changed", entityId: user.id, actorId: admin.id, before: { globalRoles: [] }, after: { globalRoles: ["AUDITOR"] } });
  });

  it("refuses an admin removing their own admin role, and anyone who is not an admin, changing nothing", async () => {
    const { user: adminUser, actor: admin } = await makeActor(["ADMIN"]);
    await expectAppError(setUserGlobalRoles(ctx(admin), { userId: adminUser.id, globalRoles: [] }), "INVALID_INPUT");
    const { actor: plain } = await makeActor();
    const target = await makeUser();
    await expectAppError(setUserGlobalRoles(ctx(plain), { userId: target.id, globalRoles: ["ADMIN"] }), "FORBIDDEN");
    const { actor: auditor } = await makeActor(["AUDITOR"]);
    await expectAppError(setUserGlobalRoles(ctx(auditor), { userId: target.id, globalRoles: ["ADMIN"] }), "FORBIDDEN");
    expect((await db.user.findUniqueOrThrow({ where: { id: adminUser.id } })).globalRoles).toEqual(["ADMIN"]);
    expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).globalRoles).toEqual([]);
  });

  it("names the field for an unknown role", async () => {
    const { actor: admin } = await makeActor(["ADMIN"]);
    const target = await makeUser();
    const error = await expectAppError(setUserGlobalRoles(ctx(admin), { userId: target.id, globalRoles: ["ROOT"] }), "INVALID_INPUT");
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["globalRoles.0"]);
  });
});
