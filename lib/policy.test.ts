import { describe, expect, it } from "vitest";
import type { GlobalRole, ProjectRole } from "@/lib/generated/prisma/enums";
import { AppError } from "@/lib/errors";
import { assertCan, can, goLiveFourEyesRefusal, mayBeAssigned, selfGrantRefusal, signingCapacity, type Action, type Actor, type Resource } from "@/lib/policy";

// The policy table written out independently of lib/policy.ts: for each action, who may do it.
// `leads` means "holds LEAD on some project" (Actor.leadsAProject).
// `everyone` means any signed-in person; `membersOnly` means global roles do not grant it.
type Allowed = { mutates: boolean; globalRoles: GlobalRole[]; projectRoles: ProjectRole[]; leads: boolean; everyone?: boolean };
const allowed: Record<Action, Allowed> = {
  "project.view": { mutates: false, globalRoles: ["ADMIN", "AUDITOR"], projectRoles: ["LEAD", "DEVOPS", "DBA", "SECURITY", "APPROVER", "VIEWER"], leads: false },
  "project.create": { mutates: true, globalRoles: ["ADMIN"], projectRoles: [], leads: true },
  "project.update": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD"], leads: false },
  "project.manageMembers": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD"], leads: false },
  "user.list": { mutates: false, globalRoles: ["ADMIN", "AUDITOR"], projectRoles: ["LEAD"], leads: true },
  "user.manage": { mutates: true, globalRoles: ["ADMIN"], projectRoles: [], leads: false },
  "team.manage": { mutates: true, globalRoles: ["ADMIN"], projectRoles: [], leads: false },
  // Also to a LEAD member of the team, on a team resource (tested below).
  "team.assignProjects": { mutates: true, globalRoles: ["ADMIN"], projectRoles: [], leads: false },
  "audit.viewAll": { mutates: false, globalRoles: ["ADMIN", "AUDITOR"], projectRoles: [], leads: false },
  "audit.checkpoint": { mutates: false, globalRoles: ["ADMIN"], projectRoles: [], leads: false },
  "checklist.edit": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD"], leads: false },
  // On a project resource only LEAD works items; area owners are granted per item (below).
  "item.work": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD"], leads: false },
  "item.recordResult": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD"], leads: false },
  "item.configureCheck": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD"], leads: false },
  "item.assign": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD"], leads: false },
  "item.waive": { mutates: true, globalRoles: [], projectRoles: ["LEAD"], leads: false },
  // Only on a waiver resource, which names its requester (tested below): approvers and leads.
  "waiver.decide": { mutates: true, globalRoles: [], projectRoles: [], leads: false },
  "item.comment": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD", "DEVOPS", "DBA", "SECURITY", "APPROVER"], leads: false },
  "signoff.configure": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD"], leads: false },
  "project.configureLevels": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD"], leads: false },
  "campaign.view": { mutates: false, globalRoles: ["ADMIN", "AUDITOR"], projectRoles: [], leads: false },
  "campaign.manage": { mutates: true, globalRoles: ["ADMIN"], projectRoles: [], leads: false },
  // Area owners may also sign their area's slot when the project allows it (tested below).
  "signoff.sign": { mutates: true, globalRoles: [], projectRoles: ["APPROVER"], leads: false },
  "project.configureNotifications": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD"], leads: false },
  "project.markLive": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD"], leads: false },
  "template.view": { mutates: false, globalRoles: ["ADMIN", "AUDITOR"], projectRoles: ["LEAD", "DEVOPS", "DBA", "SECURITY", "APPROVER", "VIEWER"], leads: false, everyone: true },
  "self.manage": { mutates: false, globalRoles: ["ADMIN", "AUDITOR"], projectRoles: ["LEAD", "DEVOPS", "DBA", "SECURITY", "APPROVER", "VIEWER"], leads: false, everyone: true },
  "template.manage": { mutates: true, globalRoles: ["ADMIN"], projectRoles: [], leads: true },
  // Only on a template resource does anyone but an admin get it: its owner (tested below).
  "template.edit": { mutates: true, globalRoles: ["ADMIN"], projectRoles: [], leads: false },
  "token.manage": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD"], leads: false },
  "token.manageOwnRead": { mutates: false, globalRoles: ["ADMIN", "AUDITOR"], projectRoles: [], leads: false },
  "token.manageAll": { mutates: true, globalRoles: ["ADMIN"], projectRoles: [], leads: false },
};

const actions = Object.keys(allowed) as Action[];
const projectRoles: ProjectRole[] = ["LEAD", "DEVOPS", "DBA", "SECURITY", "APPROVER", "VIEWER"];
const mutatingActions = actions.filter((action) => allowed[action].mutates);

function actor(globalRoles: GlobalRole[] = [], leadsAProject = false): Actor {
  return { id: "00000000-0000-4000-8000-000000000001", name: "Test Person", email: "person@shipshape.test", globalRoles, leadsAProject };
}

function project(roles: ProjectRole[]): Resource {
  return { kind: "project", projectId: "00000000-0000-4000-8000-0000000000aa", roles };
}

const global: Resource = { kind: "global" };

function codeOf(run: () => void): string {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return "ALLOWED";
}

describe("can: project roles (a plain user who is a member with one role)", () => {
  const cases = actions.flatMap((action) => projectRoles.map((role) => [action, role, allowed[action].projectRoles.includes(role) || (role === "LEAD" && allowed[action].leads)] as const));

  it.each(cases)("%s as %s → %s", (action, role, expected) => {
    // A LEAD on this project also leads "a project", exactly as loadActorBySession computes it.
    expect(can(actor([], role === "LEAD"), action, project([role]))).toBe(expected);
  });
});

describe("can: global roles (not a member of the project)", () => {
  const cases = actions.flatMap((action) =>
    (["ADMIN", "AUDITOR"] as const).map((role) => [action, role, allowed[action].globalRoles.includes(role)] as const),
  );

  it.each(cases)("%s as %s → %s", (action, role, expected) => {
    expect(can(actor([role]), action, project([]))).toBe(expected);
    expect(can(actor([role]), action, global)).toBe(expected);
  });
});

describe("can: fails closed", () => {
  it.each(actions.filter((action) => !allowed[action].everyone))("denies %s to a signed-in user with no roles at all", (action) => {
    expect(can(actor(), action, project([]))).toBe(false);
    expect(can(actor(), action, global)).toBe(false);
  });

  it.each(["project.delete", "user.impersonate", "", "toString", "constructor", "__proto__", "hasOwnProperty"])(
    "denies the unknown action %j even to an admin",
    (action) => {
      expect(can(actor(["ADMIN"], true), action as Action, project(["LEAD"]))).toBe(false);
      expect(codeOf(() => assertCan(actor(["ADMIN"], true), action as Action, global))).toBe("FORBIDDEN");
    },
  );

  it("does not let project roles count on a global resource", () => {
    // project.manageMembers needs LEAD *on the project*; the global kind carries no roles.
    expect(can(actor([], false), "project.manageMembers", global)).toBe(false);
    expect(can(actor([], false), "user.manage", project(["LEAD"]))).toBe(false);
  });

  it("does not let LEAD on some project grant project roles on another", () => {
    // leadsAProject grants only project.create and user.list, nothing on a project the actor is not in.
    const lead = actor([], true);
    expect(can(lead, "project.view", project([]))).toBe(false);
    expect(can(lead, "project.manageMembers", project([]))).toBe(false);
    expect(can(lead, "project.update", project(["VIEWER"]))).toBe(false);
    expect(can(lead, "project.create", global)).toBe(true);
    expect(can(lead, "user.list", global)).toBe(true);
  });
});

describe("can: an AUDITOR never changes anything", () => {
  it.each(mutatingActions)("AUDITOR is denied %s even as LEAD of the project and ADMIN", (action) => {
    const auditorLeadAdmin = actor(["AUDITOR", "ADMIN"], true);
    expect(can(auditorLeadAdmin, action, project(projectRoles))).toBe(false);
    expect(can(auditorLeadAdmin, action, global)).toBe(false);
    expect(can(actor(["AUDITOR"], true), action, project(["LEAD"]))).toBe(false);
  });

  it.each(actions.filter((action) => !allowed[action].mutates && allowed[action].globalRoles.includes("AUDITOR")))("AUDITOR may still read: %s", (action) => {
    expect(can(actor(["AUDITOR"]), action, project([]))).toBe(true);
  });

  it("withholds from auditors only these reads: signing a checkpoint with the installation's key is an admin's act", () => {
    expect(actions.filter((action) => !allowed[action].mutates && !allowed[action].globalRoles.includes("AUDITOR"))).toEqual(["audit.checkpoint"]);
    expect(can(actor(["AUDITOR"]), "audit.checkpoint", global)).toBe(false);
    expect(can(actor(["AUDITOR", "ADMIN"]), "audit.checkpoint", global)).toBe(true);
  });

  it("the table above marks exactly these actions as mutating", () => {
    expect(mutatingActions).toEqual([
      "project.create",
      "project.update",
      "project.manageMembers",
      "user.manage",
      "team.manage",
      "team.assignProjects",
      "checklist.edit",
      "item.work",
      "item.recordResult",
      "item.configureCheck",
      "item.assign",
      "item.waive",
      "waiver.decide",
      "item.comment",
      "signoff.configure",
      "project.configureLevels",
      "campaign.manage",
      "signoff.sign",
      "project.configureNotifications",
      "project.markLive",
      "template.manage",
      "template.edit",
      "token.manage",
      "token.manageAll",
    ]);
  });
});

describe("can: ADMIN can do everything an auditor is not involved in", () => {
  it.each(actions.filter((action) => action !== "item.waive" && action !== "signoff.sign" && action !== "waiver.decide"))("ADMIN may %s on any project and globally", (action) => {
    expect(can(actor(["ADMIN"]), action, project([]))).toBe(true);
    expect(can(actor(["ADMIN"]), action, global)).toBe(true);
  });
});

describe("can: teams", () => {
  const team = (roles: ProjectRole[]): Resource => ({ kind: "team", teamId: "00000000-0000-4000-8000-0000000000bb", roles });

  it.each(projectRoles)("gives a project to a team only as its LEAD member (here %s) or an admin", (role) => {
    expect(can(actor(), "team.assignProjects", team([role]))).toBe(role === "LEAD");
    expect(can(actor(["ADMIN"]), "team.assignProjects", team([]))).toBe(true);
    expect(can(actor(["AUDITOR"]), "team.assignProjects", team(["LEAD"]))).toBe(false);
  });

  it("lets team roles count for nothing else, and project roles nothing on a team", () => {
    for (const action of actions.filter((action) => action !== "team.assignProjects")) expect(can(actor(), action, team(projectRoles)), action).toBe(allowed[action].everyone === true);
    expect(can(actor([], true), "team.assignProjects", project(["LEAD"]))).toBe(false);
    expect(codeOf(() => assertCan(actor([], true), "team.manage", team(["LEAD"])))).toBe("FORBIDDEN");
  });
});

describe("assertCan", () => {
  it("returns quietly when allowed", () => {
    expect(codeOf(() => assertCan(actor([], true), "project.manageMembers", project(["LEAD"])))).toBe("ALLOWED");
  });

  it("reports a project the actor cannot see as NOT_FOUND (its existence is not revealed)", () => {
    expect(codeOf(() => assertCan(actor(), "project.view", project([])))).toBe("NOT_FOUND");
    expect(codeOf(() => assertCan(actor([], true), "project.manageMembers", project([])))).toBe("NOT_FOUND");
  });

  it.each(projectRoles.filter((role) => role !== "LEAD"))("reports a visible project with too low a role (%s) as FORBIDDEN", (role) => {
    expect(codeOf(() => assertCan(actor(), "project.manageMembers", project([role])))).toBe("FORBIDDEN");
    expect(codeOf(() => assertCan(actor(), "project.update", project([role])))).toBe("FORBIDDEN");
  });

  it("reports FORBIDDEN, not NOT_FOUND, to an auditor (who sees every project) changing one", () => {
    expect(codeOf(() => assertCan(actor(["AUDITOR"], true), "project.manageMembers", project(["LEAD"])))).toBe("FORBIDDEN");
    expect(codeOf(() => assertCan(actor(["AUDITOR"]), "project.manageMembers", project([])))).toBe("FORBIDDEN");
  });

  it("reports FORBIDDEN for a global action", () => {
    expect(codeOf(() => assertCan(actor([], true), "user.manage", global))).toBe("FORBIDDEN");
    expect(codeOf(() => assertCan(actor(["AUDITOR"]), "project.create", global))).toBe("FORBIDDEN");
  });

  it("throws an AppError whose status matches its code", () => {
    let thrown: unknown;
    try {
      assertCan(actor(), "project.view", project([]));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).status).toBe(404);
  });
});

describe("can: checklist items, by owner area", () => {
  const item = (area: "DEVOPS" | "DBA" | "SECURITY" | "GENERAL", roles: ProjectRole[]): Resource => ({
    kind: "item",
    projectId: "00000000-0000-4000-8000-0000000000aa",
    roles,
    area,
  });

  it("lets an owner work the items of their own area and GENERAL ones, not another area's", () => {
    expect(can(actor(), "item.work", item("DBA", ["DBA"]))).toBe(true);
    expect(can(actor(), "item.work", item("GENERAL", ["DBA"]))).toBe(true);
    expect(can(actor(), "item.work", item("SECURITY", ["DBA"]))).toBe(false);
    expect(can(actor(), "item.work", item("DEVOPS", ["APPROVER", "VIEWER"]))).toBe(false);
    expect(can(actor(), "item.work", item("GENERAL", ["APPROVER"]))).toBe(false);
    expect(can(actor([], true), "item.work", item("SECURITY", ["LEAD"]))).toBe(true);
  });

  it("lets a lead or the owner of the item's area attach checks, not another owner or an approver", () => {
    expect(can(actor(), "item.configureCheck", item("SECURITY", ["SECURITY"]))).toBe(true);
    expect(can(actor(), "item.configureCheck", item("GENERAL", ["SECURITY"]))).toBe(false);
    expect(can(actor(), "item.configureCheck", item("DBA", ["DEVOPS"]))).toBe(false);
    expect(can(actor(), "item.configureCheck", item("DBA", ["APPROVER", "VIEWER"]))).toBe(false);
    expect(can(actor(), "item.configureCheck", item("DBA", ["LEAD"]))).toBe(true);
  });

  it("grants a waiver only to the area's owner or a lead, as members: not to an admin who is neither", () => {
    expect(can(actor(), "item.waive", item("SECURITY", ["SECURITY"]))).toBe(true);
    expect(can(actor(), "item.waive", item("GENERAL", ["SECURITY"]))).toBe(false);
    expect(can(actor(), "item.waive", item("DBA", ["DEVOPS"]))).toBe(false);
    expect(can(actor([], true), "item.waive", item("GENERAL", ["LEAD"]))).toBe(true);
    expect(can(actor(["ADMIN"]), "item.waive", item("DBA", []))).toBe(false);
    expect(can(actor(["ADMIN", "AUDITOR"]), "item.waive", item("DBA", ["DBA"]))).toBe(false);
  });

  it("hides an item of a project the actor cannot see (NOT_FOUND), and refuses a visible one (FORBIDDEN)", () => {
    expect(codeOf(() => assertCan(actor(), "item.work", item("DBA", [])))).toBe("NOT_FOUND");
    expect(codeOf(() => assertCan(actor(), "item.work", item("DBA", ["VIEWER"])))).toBe("FORBIDDEN");
  });
});

describe("can: deciding a waiver request", () => {
  const me = actor().id;
  const someoneElse = "00000000-0000-4000-8000-000000000002";
  const waiver = (roles: ProjectRole[], requestedById: string | null = someoneElse, selfGrantedRoles: ProjectRole[] = []): Resource => ({
    kind: "waiver",
    projectId: "00000000-0000-4000-8000-0000000000aa",
    roles,
    selfGrantedRoles,
    requestedById,
  });

  it("lets the project's approver or lead decide someone else's request", () => {
    expect(can(actor(), "waiver.decide", waiver(["APPROVER"]))).toBe(true);
    expect(can(actor([], true), "waiver.decide", waiver(["LEAD"]))).toBe(true);
  });

  it.each(["DEVOPS", "DBA", "SECURITY", "VIEWER"] as const)("refuses a %s who is neither approver nor lead", (role) => {
    expect(can(actor(), "waiver.decide", waiver([role]))).toBe(false);
    expect(codeOf(() => assertCan(actor(), "waiver.decide", waiver([role])))).toBe("FORBIDDEN");
  });

  it("never lets the requester decide their own request, whatever their roles, and says why", () => {
    const own = waiver(["LEAD", "APPROVER"], me);
    expect(can(actor([], true), "waiver.decide", own)).toBe(false);
    expect(can(actor(["ADMIN"], true), "waiver.decide", own)).toBe(false);
    expect(codeOf(() => assertCan(actor([], true), "waiver.decide", own))).toBe("FORBIDDEN");
    expect(selfGrantRefusal(actor([], true), "waiver.decide", own)).toMatch(/You requested this waiver/);
    // Someone without the right is told just that, not that they requested it.
    expect(selfGrantRefusal(actor(), "waiver.decide", waiver(["SECURITY"], me))).toBeNull();
  });

  it("refuses when the requester is unknown: nobody can show they are someone else", () => {
    expect(can(actor([], true), "waiver.decide", waiver(["LEAD"], null))).toBe(false);
  });

  it("does not let an admin or auditor decide without the project role, nor with an approver role they gave themselves", () => {
    expect(can(actor(["ADMIN"]), "waiver.decide", waiver([]))).toBe(false);
    expect(can(actor(["ADMIN", "AUDITOR"], true), "waiver.decide", waiver(["LEAD", "APPROVER"]))).toBe(false);
    expect(can(actor(["ADMIN"]), "waiver.decide", waiver(["APPROVER"], someoneElse, ["APPROVER"]))).toBe(false);
    expect(can(actor(["ADMIN"]), "waiver.decide", waiver(["APPROVER"]))).toBe(true);
  });

  it("hides a request on a project the actor cannot see (NOT_FOUND)", () => {
    expect(codeOf(() => assertCan(actor(), "waiver.decide", waiver([])))).toBe("NOT_FOUND");
  });

  it("grants nothing on anything but a waiver resource", () => {
    expect(can(actor([], true), "waiver.decide", project(["LEAD", "APPROVER"]))).toBe(false);
  });
});

describe("can: sign-off slots", () => {
  const slot = (name: "DEVOPS" | "DBA" | "SECURITY" | "GO_LIVE", roles: ProjectRole[], ownersMayApprove = false, selfGrantedRoles: ProjectRole[] = []): Resource => ({
    kind: "slot",
    projectId: "00000000-0000-4000-8000-0000000000aa",
    roles,
    selfGrantedRoles,
    slot: name,
    ownersMayApprove,
  });

  it("lets an approver sign any slot of their project", () => {
    for (const name of ["DEVOPS", "DBA", "SECURITY", "GO_LIVE"] as const) expect(can(actor(), "signoff.sign", slot(name, ["APPROVER"]))).toBe(true);
  });

  it("lets an area owner sign only their own area's slot, only when the project allows it, never GO_LIVE", () => {
    expect(can(actor(), "signoff.sign", slot("DBA", ["DBA"]))).toBe(false);
    expect(can(actor(), "signoff.sign", slot("DBA", ["DBA"], true))).toBe(true);
    expect(can(actor(), "signoff.sign", slot("SECURITY", ["DBA"], true))).toBe(false);
    expect(can(actor(), "signoff.sign", slot("GO_LIVE", ["DBA", "SECURITY", "DEVOPS"], true))).toBe(false);
    expect(can(actor([], true), "signoff.sign", slot("GO_LIVE", ["LEAD"], true))).toBe(false);
  });

  it("refuses admins who are not approvers, and auditors even when they are", () => {
    expect(can(actor(["ADMIN"]), "signoff.sign", slot("GO_LIVE", []))).toBe(false);
    expect(can(actor(["AUDITOR"]), "signoff.sign", slot("GO_LIVE", ["APPROVER"]))).toBe(false);
  });

  it("never counts a signing role the actor granted themselves, for approvers, owners and admins alike, and says so", () => {
    expect(can(actor([], true), "signoff.sign", slot("GO_LIVE", ["LEAD", "APPROVER"], false, ["APPROVER"]))).toBe(false);
    expect(can(actor(["ADMIN"]), "signoff.sign", slot("DBA", ["APPROVER"], false, ["APPROVER"]))).toBe(false);
    expect(can(actor([], true), "signoff.sign", slot("DBA", ["LEAD", "DBA"], true, ["DBA"]))).toBe(false);
    // Another signing role granted by someone else still signs.
    expect(can(actor(), "signoff.sign", slot("DBA", ["APPROVER", "DBA"], true, ["DBA"]))).toBe(true);

    const refused = slot("GO_LIVE", ["LEAD", "APPROVER"], false, ["APPROVER"]);
    expect(selfGrantRefusal(actor([], true), "signoff.sign", refused)).toMatch(/granted yourself the approver role.*another lead or admin must grant it/);
    expect(selfGrantRefusal(actor([], true), "signoff.sign", slot("DBA", ["LEAD", "DBA"], true, ["DBA"]))).toMatch(/the DBA role/);
    let message = "";
    try {
      assertCan(actor([], true), "signoff.sign", refused);
    } catch (error) {
      expect(error).toMatchObject({ code: "FORBIDDEN" });
      message = (error as AppError).message;
    }
    expect(message).toMatch(/another lead or admin must grant it/);
    // Not the reason: a viewer, or a self-granted role that would not sign this slot anyway.
    expect(selfGrantRefusal(actor(), "signoff.sign", slot("DBA", ["VIEWER"]))).toBeNull();
    expect(selfGrantRefusal(actor(), "signoff.sign", slot("GO_LIVE", ["DBA"], true, ["DBA"]))).toBeNull();
    expect(codeOf(() => assertCan(actor(), "signoff.sign", slot("GO_LIVE", ["DBA"], true, ["DBA"])))).toBe("FORBIDDEN");
  });

  it("records the capacity that counts: APPROVER only when someone else granted it, else the area's owner role", () => {
    const capacity = (resource: Resource) => (resource.kind === "slot" ? signingCapacity(resource) : null);
    expect(capacity(slot("DBA", ["APPROVER", "DBA"], true))).toBe("APPROVER");
    expect(capacity(slot("DBA", ["APPROVER", "DBA"], true, ["APPROVER"]))).toBe("DBA");
    expect(capacity(slot("SECURITY", ["SECURITY"], true))).toBe("SECURITY");
    expect(capacity(slot("GO_LIVE", ["APPROVER"]))).toBe("APPROVER");
  });
});

describe("goLiveFourEyesRefusal: nobody marks a project live on their own Go-live decision", () => {
  const me = actor();
  it("allows someone else's current Go-live approval", () => {
    expect(goLiveFourEyesRefusal(me, { approverId: "00000000-0000-4000-8000-000000000002", approverName: "Avery" })).toBeNull();
  });
  it("refuses the marker's own approval, no approval, and an approval that names no one", () => {
    expect(goLiveFourEyesRefusal(me, { approverId: me.id, approverName: me.name })).toMatch(/approved the Go-live sign-off yourself/);
    expect(goLiveFourEyesRefusal(me, null)).toMatch(/someone other than the person marking/);
    expect(goLiveFourEyesRefusal(me, { approverId: null, approverName: "Gone" })).toMatch(/records no approver/);
  });
});

describe("can: templates, by owner", () => {
  const owner = actor([], true);
  const template = (ownerId: string | null): Resource => ({ kind: "template", ownerId });

  it("lets the owner who may still create templates publish versions, and no other lead", () => {
    expect(can(owner, "template.edit", template(owner.id))).toBe(true);
    expect(can(owner, "template.edit", template("00000000-0000-4000-8000-0000000000ff"))).toBe(false);
    expect(can(owner, "template.edit", template(null))).toBe(false);
  });

  it("refuses an owner who no longer leads a project, and any auditor; admins may", () => {
    expect(can(actor([], false), "template.edit", template(owner.id))).toBe(false);
    expect(can({ ...owner, globalRoles: ["AUDITOR"] }, "template.edit", template(owner.id))).toBe(false);
    expect(can(actor(["ADMIN"]), "template.edit", template(null))).toBe(true);
  });

  it("reports a refusal on a template as FORBIDDEN, never as a missing project", () => {
    expect(codeOf(() => assertCan(owner, "template.edit", template(null)))).toBe("FORBIDDEN");
  });
});

describe("mayBeAssigned: who can hold an item of an area", () => {
  it.each([
    ["DBA", ["DBA"], true],
    ["DBA", ["LEAD"], true],
    ["DBA", ["DEVOPS"], false],
    ["DBA", ["APPROVER"], false],
    ["SECURITY", ["SECURITY", "VIEWER"], true],
    ["DEVOPS", ["VIEWER"], false],
    ["GENERAL", ["DEVOPS"], true],
    ["GENERAL", ["LEAD"], true],
    ["GENERAL", ["APPROVER", "VIEWER"], false],
    ["GENERAL", [], false],
  ] as const)("%s item, member with %j → %s", (area, roles, expected) => {
    expect(mayBeAssigned(area, roles)).toBe(expected);
  });
});

describe("a project's API token acting as itself (Actor.automation)", () => {
  const projectId = "11111111-1111-4111-8111-111111111111";
  const otherProject = "22222222-2222-4222-8222-222222222222";
  const token = (permissions: ("gate:read" | "items:read" | "items:write")[]): Actor => ({
    id: "33333333-3333-4333-8333-333333333333",
    name: "Deploy pipeline (token ssp_abcdefgh…)",
    email: "",
    // Even were roles to reach it, a token has only its permissions.
    globalRoles: ["ADMIN"],
    leadsAProject: true,
    automation: { tokenId: "33333333-3333-4333-8333-333333333333", projectId, permissions },
  });
  const item = (id: string): Resource => ({ kind: "item", projectId: id, roles: ["LEAD"], area: "DBA" });

  it("with items:write works and comments on its own project's items, and sees the project", () => {
    const writer = token(["items:write"]);
    expect(can(writer, "item.work", item(projectId))).toBe(true);
    expect(can(writer, "item.comment", item(projectId))).toBe(true);
    expect(can(writer, "project.view", { kind: "project", projectId, roles: [] })).toBe(true);
  });

  it("never reaches another project, and never does what only people do", () => {
    const writer = token(["gate:read", "items:read", "items:write"]);
    expect(can(writer, "item.work", item(otherProject))).toBe(false);
    expect(can(writer, "project.view", { kind: "project", projectId: otherProject, roles: ["LEAD"] })).toBe(false);
    const project: Resource = { kind: "project", projectId, roles: ["LEAD"] };
    for (const action of ["checklist.edit", "item.assign", "project.manageMembers", "project.markLive", "signoff.configure", "project.configureLevels", "token.manage", "project.update"] as Action[]) {
      expect(can(writer, action, project), action).toBe(false);
    }
    expect(can(writer, "item.waive", item(projectId))).toBe(false);
    expect(can(writer, "signoff.sign", { kind: "slot", projectId, roles: ["APPROVER"], selfGrantedRoles: [], slot: "DBA", ownersMayApprove: true })).toBe(false);
    for (const action of ["user.manage", "audit.viewAll", "project.create"] as Action[]) expect(can(writer, action, { kind: "global" }), action).toBe(false);
  });

  it("with items:read or gate:read only, works nothing", () => {
    expect(can(token(["items:read"]), "item.work", item(projectId))).toBe(false);
    expect(can(token(["items:read"]), "project.view", { kind: "project", projectId, roles: [] })).toBe(true);
    expect(can(token(["gate:read"]), "project.view", { kind: "project", projectId, roles: [] })).toBe(false);
  });
});
