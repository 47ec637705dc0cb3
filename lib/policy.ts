import type { TokenPermission } from "@/lib/tokens/scopes";
import type { Area, GlobalRole, ProjectRole } from "@/lib/generated/prisma/enums";
import { AppError } from "@/lib/errors";

// The one place that decides who may do what. Every service asks it; nothing else compares
// role strings. Each action lists the roles allowed to perform it; anything not listed, and
// any action not in the table, is denied (fail closed). An AUDITOR may read everything and
// change nothing, whatever project roles they also hold.

/** The signed-in person, loaded from the database on every request (never from the token). */
export type Actor = {
  id: string;
  name: string;
  email: string;
  globalRoles: readonly GlobalRole[];
  /** Whether the actor holds LEAD on at least one project: leads may start new projects. */
  leadsAProject: boolean;
  /** The IANA zone the actor chose for dates and times (null or absent: not chosen). */
  timeZone?: string | null;
  /**
   * The session this request came in on (absent: an API token or the command line). Signing asks
   * for a recent proof of identity of this session (lib/users/proof.ts), so only a session signs.
   */
  sessionId?: string;
  /**
   * Set when a project's API token acts (lib/tokens/scopes.ts): the actor is that token, as an
   * automation member of its one project with only the token's permissions.
   */
  automation?: { tokenId: string; projectId: string; permissions: readonly TokenPermission[] };
  /**
   * Set on a session's actor who must do something about two-step sign-in before anything else
   * (lib/users/mfa-policy.ts): set up an authenticator (an admin or approver under
   * MFA_ENROLMENT=required), or give its code after a single sign-on. Pages send them to /two-step
   * and actions are refused until they have.
   */
  mfaStep?: "set-up" | "verify";
};

export type Resource =
  | { kind: "global" }
  /** `roles` are the actor's own roles on that project (empty when not a member). */
  | { kind: "project"; projectId: string; roles: readonly ProjectRole[] }
  /** A checklist item: some rights depend on the item's owner area. */
  | { kind: "item"; projectId: string; roles: readonly ProjectRole[]; area: Area }
  /** A template: its owner is whoever created it (null: built in, or its creator is gone). */
  | { kind: "template"; ownerId: string | null }
  /** A team: `roles` are the actor's own roles as a member of it (empty when not a member). */
  | { kind: "team"; teamId: string; roles: readonly ProjectRole[] }
  /**
   * A sign-off slot of a project (DEVOPS, DBA, SECURITY or GO_LIVE). `selfGrantedRoles` are those
   * of `roles` the actor granted themselves (lib/projects/data.ts reads them): they never sign.
   */
  | { kind: "slot"; projectId: string; roles: readonly ProjectRole[]; selfGrantedRoles: readonly ProjectRole[]; slot: "DEVOPS" | "DBA" | "SECURITY" | "GO_LIVE"; ownersMayApprove: boolean }
  /**
   * A waiver request on an item: who asked for it (`requestedById`, null if unknown) never decides
   * it. `selfGrantedRoles` as for a slot: a role one gave oneself does not accept a risk either.
   */
  | { kind: "waiver"; projectId: string; roles: readonly ProjectRole[]; selfGrantedRoles: readonly ProjectRole[]; requestedById: string | null };

type SlotResource = Extract<Resource, { kind: "slot" }>;

/** The project role that owns each area; GENERAL items have no owning role. */
const areaOwnerRole: Record<Area, ProjectRole | null> = { DEVOPS: "DEVOPS", DBA: "DBA", SECURITY: "SECURITY", GENERAL: null };
const ownerRoles: readonly ProjectRole[] = ["DEVOPS", "DBA", "SECURITY"];

/**
 * The project roles that sign: APPROVER any slot, an owner role its area's slot when the project
 * lets owners approve. Who granted each is recorded on the membership, because a role its holder
 * granted themselves does not sign: a lead or admin could otherwise approve alone.
 */
export const signingRoles = ["APPROVER", "DEVOPS", "DBA", "SECURITY"] as const satisfies readonly ProjectRole[];
export type SigningRole = (typeof signingRoles)[number];

const roleWords: Record<ProjectRole, string> = { LEAD: "lead", DEVOPS: "DevOps", DBA: "DBA", SECURITY: "Security", APPROVER: "approver", VIEWER: "viewer" };

type Rule = {
  /** Whether the action changes anything: such actions are never allowed to an auditor. */
  mutates: boolean;
  globalRoles?: readonly GlobalRole[];
  projectRoles?: readonly ProjectRole[];
  /** Extra grant that depends on the actor only. */
  actorGrant?: (actor: Actor) => boolean;
  /** Extra grant for items: from the actor's project roles and the item's area. */
  areaGrant?: (area: Area, roles: readonly ProjectRole[]) => boolean;
  /** Global roles do not grant this action: it needs a project role (e.g. accepting a risk). */
  membersOnly?: boolean;
  /** Extra grant for the owner of a template. */
  ownerGrant?: boolean;
  /** On a team resource, the actor's team roles that grant it (project roles never count there). */
  teamRoles?: readonly ProjectRole[];
  /** Extra grant for sign-off slots, from the roles that count (see grantedByAnother). */
  slotGrant?: (resource: SlotResource, roles: readonly ProjectRole[]) => boolean;
  /**
   * Separation of duties: a project role counts only if someone else granted it. On a slot or a
   * waiver, the roles the actor granted themselves are left out.
   */
  grantedByAnother?: boolean;
  /** Separation of duties: whoever requested the waiver never decides it, whatever their roles. */
  notRequester?: boolean;
};

/** The owner of the item's area; anyone owning an area may work GENERAL items. */
const ownsOrShares = (area: Area, roles: readonly ProjectRole[]) => {
  const owner = areaOwnerRole[area];
  return owner ? roles.includes(owner) : roles.some((role) => ownerRoles.includes(role));
};
const ownsArea = (area: Area, roles: readonly ProjectRole[]) => {
  const owner = areaOwnerRole[area];
  return owner !== null && roles.includes(owner);
};

const anyMember: readonly ProjectRole[] = ["LEAD", "DEVOPS", "DBA", "SECURITY", "APPROVER", "VIEWER"];

const rules = {
  /** See a project, its members and everything in it. Non-members get NOT_FOUND. */
  "project.view": { mutates: false, globalRoles: ["ADMIN", "AUDITOR"], projectRoles: anyMember },
  /** Start a new project (the creator becomes its lead). */
  "project.create": { mutates: true, globalRoles: ["ADMIN"], actorGrant: (actor) => actor.leadsAProject },
  /** Change a project's name, description, target date. */
  "project.update": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD"] },
  /** Add or remove members and change their project roles. */
  "project.manageMembers": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD"] },
  /** See the list of all users (to add them to projects). */
  "user.list": { mutates: false, globalRoles: ["ADMIN", "AUDITOR"], projectRoles: ["LEAD"], actorGrant: (actor) => actor.leadsAProject },
  /** Create users, change their global roles, disable or enable them. */
  "user.manage": { mutates: true, globalRoles: ["ADMIN"] },
  /** Create teams, change them, add and remove their members and change their team roles. */
  "team.manage": { mutates: true, globalRoles: ["ADMIN"] },
  /**
   * Make a team the owner of a project, so that its members hold their team roles there: an admin,
   * or a LEAD member of that team (on a team resource). Choosing the project's team at all is
   * project.manageMembers.
   */
  "team.assignProjects": { mutates: true, globalRoles: ["ADMIN"], teamRoles: ["LEAD"] },
  /** Read the audit history of every project. */
  "audit.viewAll": { mutates: false, globalRoles: ["ADMIN", "AUDITOR"] },
  /** Export a signed checkpoint of the audit chain (its newest position and hash), to keep elsewhere. */
  "audit.checkpoint": { mutates: false, globalRoles: ["ADMIN"] },
  /** Change a checklist's structure: import, item titles, required flags, template upgrades. */
  "checklist.edit": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD"] },
  /** Work an item: status, area, details, evidence. Leads any item; owners their area's and GENERAL ones. */
  "item.work": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD"], areaGrant: ownsOrShares },
  /** Record a result (pass or fail) for an item: whoever may work it, and tokens with results:write. */
  "item.recordResult": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD"], areaGrant: ownsOrShares },
  /** Attach an automated check to an item, or remove one: a lead, or the owner of the item's area. */
  "item.configureCheck": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD"], areaGrant: ownsArea },
  /** Assign items to people and set their due dates. */
  "item.assign": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD"] },
  /** Accept the risk of not doing an item (WAIVED): the item's area owner or a lead, as members. */
  "item.waive": { mutates: true, projectRoles: ["LEAD"], areaGrant: ownsArea, membersOnly: true },
  /**
   * Accept or decline a waiver request: an APPROVER or a LEAD of the project, as members (an
   * admin only through such a role, given by someone else), never the person who requested it.
   */
  "waiver.decide": { mutates: true, projectRoles: ["APPROVER", "LEAD"], membersOnly: true, grantedByAnother: true, notRequester: true },
  /** Comment on an item. */
  "item.comment": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD", "DEVOPS", "DBA", "SECURITY", "APPROVER"] },
  /** Change which sign-off slots a project requires (until it is live; GO_LIVE always stays). */
  "signoff.configure": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD"] },
  /** Define a project's maturity levels and choose its target level (what the gate and sign-offs consider). */
  "project.configureLevels": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD"] },
  /**
   * Sign a slot: an APPROVER any slot; an area owner their area's slot if the project allows it.
   * As members only, and never with a role one granted oneself: another lead or admin must grant it.
   */
  "signoff.sign": {
    mutates: true,
    projectRoles: ["APPROVER"],
    membersOnly: true,
    grantedByAnother: true,
    slotGrant: (slot, roles) => slot.ownersMayApprove && slot.slot !== "GO_LIVE" && roles.includes(slot.slot),
  },
  /** Set where a project's notifications are also sent (its webhook). */
  "project.configureNotifications": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD"] },
  /** Mark the project live (only with the gate open, and on someone else's Go-live approval: goLiveFourEyesRefusal), freezing a snapshot. */
  "project.markLive": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD"] },
  /**
   * Change one's own preferences and mark one's own notifications read. It touches nothing of
   * the review record, so every signed-in person may, auditors included.
   */
  "self.manage": { mutates: false, actorGrant: () => true },
  /** See the template library. */
  "template.view": { mutates: false, actorGrant: () => true },
  /** Create templates. */
  "template.manage": { mutates: true, globalRoles: ["ADMIN"], actorGrant: (actor) => actor.leadsAProject },
  /** Publish new versions of a template: its owner (while they may still create templates) or an admin. */
  "template.edit": { mutates: true, globalRoles: ["ADMIN"], ownerGrant: true },
  /** Create and revoke API tokens scoped to one project. */
  "token.manage": { mutates: true, globalRoles: ["ADMIN"], projectRoles: ["LEAD"] },
  /**
   * Create and revoke one's own read-only API tokens (scope READ): a token that reads, as its
   * owner, what they may read. It changes nothing of the review record, so auditors may too.
   */
  "token.manageOwnRead": { mutates: false, globalRoles: ["ADMIN", "AUDITOR"] },
  /** Create and revoke API tokens valid for every project. */
  "token.manageAll": { mutates: true, globalRoles: ["ADMIN"] },
  /** Campaigns roll requirements out across projects: admins run them, and everyone with a global view (auditors) reads them. */
  "campaign.view": { mutates: false, globalRoles: ["ADMIN", "AUDITOR"] },
  "campaign.manage": { mutates: true, globalRoles: ["ADMIN"] },
} as const satisfies Record<string, Rule>;

export type Action = keyof typeof rules;

/**
 * Whether a member with these project roles may be given an item of this area: its owner role
 * or LEAD; GENERAL items any lead or area owner. Approvers and viewers hold no items.
 */
export function mayBeAssigned(area: Area, roles: readonly ProjectRole[]): boolean {
  return roles.includes("LEAD") || ownsOrShares(area, roles);
}

/** What each token permission allows, on the token's own project only. Nothing else is allowed to a token. */
const automationGrants: Partial<Record<Action, readonly TokenPermission[]>> = {
  "project.view": ["items:read", "items:write", "results:write"],
  "item.work": ["items:write"],
  "item.comment": ["items:write"],
  "item.recordResult": ["results:write"],
};

function automationCan(automation: NonNullable<Actor["automation"]>, action: Action, resource: Resource): boolean {
  if (!("projectId" in resource) || resource.projectId !== automation.projectId) return false;
  return automationGrants[action]?.some((permission) => automation.permissions.includes(permission)) ?? false;
}

export function can(actor: Actor, action: Action, resource: Resource): boolean {
  const rule: Rule | undefined = Object.hasOwn(rules, action) ? rules[action] : undefined;
  if (!rule) return false;
  if (actor.automation) return automationCan(actor.automation, action, resource);
  if (rule.mutates && actor.globalRoles.includes("AUDITOR")) return false;
  if (rule.notRequester && (resource.kind !== "waiver" || resource.requestedById === null || resource.requestedById === actor.id)) return false;
  if (!rule.membersOnly && rule.globalRoles?.some((role) => actor.globalRoles.includes(role))) return true;
  if (rule.actorGrant?.(actor)) return true;
  if (resource.kind === "global") return false;
  if (resource.kind === "template") return rule.ownerGrant === true && resource.ownerId === actor.id && can(actor, "template.manage", { kind: "global" });
  if (resource.kind === "team") return rule.teamRoles?.some((role) => resource.roles.includes(role)) ?? false;
  const roles = rule.grantedByAnother && (resource.kind === "slot" || resource.kind === "waiver") ? resource.roles.filter((role) => !resource.selfGrantedRoles.includes(role)) : resource.roles;
  if (rule.projectRoles?.some((role) => roles.includes(role))) return true;
  if (resource.kind === "item" && rule.areaGrant?.(resource.area, roles)) return true;
  if (resource.kind === "slot" && rule.slotGrant?.(resource, roles)) return true;
  return false;
}

/**
 * Why the actor may not do this on a slot although their roles would allow it: the role that
 * would is one they granted themselves. Null when that is not why (or when they may).
 */
export function selfGrantRefusal(actor: Actor, action: Action, resource: Resource): string | null {
  if (resource.kind === "waiver") return waiverRequesterRefusal(actor, action, resource);
  if (resource.kind !== "slot" || resource.selfGrantedRoles.length === 0 || can(actor, action, resource)) return null;
  const deciding = resource.selfGrantedRoles.filter((role) => can(actor, action, { ...resource, selfGrantedRoles: resource.selfGrantedRoles.filter((other) => other !== role) }));
  if (deciding.length === 0) return null;
  const names = deciding.map((role) => roleWords[role]).join(" and ");
  return `You granted yourself the ${names} role${deciding.length === 1 ? "" : "s"} on this project, and nobody signs with a role they gave themselves: another lead or admin must grant it before you can sign.`;
}

/**
 * Why the actor may not decide this waiver although their roles would allow it: they asked for it
 * themselves. Null when that is not why (or when they may).
 */
function waiverRequesterRefusal(actor: Actor, action: Action, resource: Extract<Resource, { kind: "waiver" }>): string | null {
  if (resource.requestedById !== actor.id || can(actor, action, resource)) return null;
  if (!can({ ...actor, id: `${actor.id}:other` }, action, resource)) return null;
  return "You requested this waiver, and nobody accepts or declines their own request: another approver or lead of the project must decide it.";
}

/**
 * The role a permitted signature is given in (recorded as its capacity): APPROVER when that role
 * counts (someone else granted it), else the owner role of the slot's area.
 */
export function signingCapacity(resource: SlotResource): SigningRole {
  const approves = resource.roles.includes("APPROVER") && !resource.selfGrantedRoles.includes("APPROVER");
  return approves || resource.slot === "GO_LIVE" ? "APPROVER" : resource.slot;
}

/** A current approval of a project's Go-live slot, as the four-eyes rule reads it. */
export type GoLiveApproval = { approverId: string | null; approverName: string };

/**
 * Four eyes at go-live: nobody marks a project live on their own decision. The Go-live slot is
 * the decision to go live on the whole checklist, so it must be approved by someone other than
 * the person who marks the project live; approvals of area slots by others do not stand in for
 * it (they vouch for a part, not for going live). Null when the actor may mark it live on this
 * approval (whether they may mark projects live at all is "project.markLive"), else why not.
 */
export function goLiveFourEyesRefusal(actor: Actor, approval: GoLiveApproval | null): string | null {
  if (!approval) return "Going live needs a current approval of the Go-live sign-off by someone other than the person marking the project live.";
  if (approval.approverId === null) return "The Go-live approval records no approver, so it cannot show that someone else decided: it must be given again.";
  if (approval.approverId === actor.id) {
    return "You approved the Go-live sign-off yourself: going live needs someone else's decision. Another lead or admin may mark the project live, or another approver may sign Go-live.";
  }
  return null;
}

/** An item of a slot's scope and who brought it to its present state, as separation of duties reads it. */
export type ScopeWork = { itemId: string; title: string; how: "DONE" | "WAIVED"; byId: string | null };

/**
 * Separation of duties (a project setting): whoever completed (set done) or waived an item of a
 * slot's scope does not approve that slot; the approval must come from someone who did not do the
 * work. Rejecting stays open to them. Null when the actor may approve, else why not, naming the
 * items.
 */
export function separationOfDutiesRefusal(actor: Actor, input: { enabled: boolean; decision: "APPROVED" | "REJECTED"; work: readonly ScopeWork[] }): string | null {
  if (!input.enabled || input.decision !== "APPROVED") return null;
  const mine = input.work.filter((entry) => entry.byId === actor.id);
  if (mine.length === 0) return null;
  const named = mine
    .slice()
    .sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0))
    .map((entry) => `“${entry.title}” (${entry.how === "DONE" ? "you marked it done" : "you waived it"})`);
  const list = named.length <= 5 ? named.join(", ") : `${named.slice(0, 5).join(", ")} and ${named.length - 5} more`;
  return `This project separates duties: you cannot approve a sign-off whose scope holds work you did yourself: ${list}. Another approver must approve it (you may still reject).`;
}

/**
 * Throws unless the actor may perform the action. A project the actor may not even see is
 * reported as NOT_FOUND, so that its existence is not revealed.
 */
export function assertCan(actor: Actor, action: Action, resource: Resource): void {
  if (can(actor, action, resource)) return;
  if (resource.kind !== "global" && resource.kind !== "template" && resource.kind !== "team" && !can(actor, "project.view", { kind: "project", projectId: resource.projectId, roles: resource.roles })) {
    throw new AppError("NOT_FOUND", "Project not found.");
  }
  throw new AppError("FORBIDDEN", selfGrantRefusal(actor, action, resource) ?? "You are not allowed to do that.");
}
