import type { ProjectRole } from "@/lib/generated/prisma/enums";
import { db, LONG_TRANSACTION, longDb, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { isUniqueViolation } from "@/lib/db-errors";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent } from "@/lib/audit/mutations";
import { assertCan, signingRoles, type Actor } from "@/lib/policy";
import type { ServiceContext } from "@/lib/request";
import { parseInput } from "@/lib/validation";
import { enqueueJob, jobNames } from "@/lib/jobs/queue";
import { sealToken } from "@/lib/users/account-email";
import { createSetPasswordLink } from "@/lib/users/sign-in-links";
import { addMemberSchema, inviteMemberSchema, createProjectSchema, removeMemberSchema, setMemberRolesSchema, setWebhookSchema, webhookOrigin } from "@/lib/projects/schema";
import { addChecklistRows } from "@/lib/checklists/mutations";
import { lockProjectFor } from "@/lib/projects/lock";
import { getActorProjectRoles, roleGrantColumns, roleGrants, roleGrantSelect, type RoleGrantColumns } from "@/lib/projects/data";
import { env } from "@/lib/env";
import { OutboundError } from "@/lib/net/outbound";
import { vetWebhookUrl } from "@/lib/notifications/webhook-target";
import { fromStoredContent, parseMarkdownOrThrow } from "@/lib/templates/content";

/**
 * Creates a project with its lead, and its checklist from a template version or an uploaded
 * Markdown file (or empty), all in one transaction.
 */
export async function createProject(ctx: ServiceContext, input: unknown, upload?: { markdown: string | Uint8Array; source: string }): Promise<{ id: string; slug: string; imported: { items: number; sections: number; checked: number } | null }> {
  assertCan(ctx.actor, "project.create", { kind: "global" });
  const data = parseInput(createProjectSchema, input);
  if (upload && data.templateVersionId) {
    throw new AppError("INVALID_INPUT", "Start from a template or from a file, not both.", { templateVersionId: ["Choose either a template or a file."] });
  }
  const imported = upload ? await parseMarkdownOrThrow(upload.markdown, "file", ctx.actor.id) : null;
  const leadUserId = data.leadUserId ?? ctx.actor.id;
  try {
    return await longDb.$transaction(async (tx) => {
      // An auditor may change nothing, so cannot lead a project.
      const lead = await tx.user.findFirst({
        where: { id: leadUserId, disabledAt: null, NOT: { globalRoles: { has: "AUDITOR" } } },
        select: { id: true, name: true, email: true },
      });
      if (!lead) throw new AppError("INVALID_INPUT", "The chosen lead does not exist, is disabled or is an auditor.", { leadUserId: ["Choose an active, non-auditor user as lead."] });
      const project = await tx.project.create({
        data: {
          name: data.name,
          slug: data.slug,
          description: data.description,
          targetGoLive: data.targetGoLive ? new Date(`${data.targetGoLive}T00:00:00Z`) : null,
          members: { create: { userId: lead.id, roles: ["LEAD"] } },
        },
        select: { id: true, slug: true, name: true, description: true, targetGoLive: true },
      });
      const template = data.templateVersionId
        ? await tx.templateVersion.findUnique({ where: { id: data.templateVersionId }, select: { id: true, version: true, content: true, template: { select: { name: true } } } })
        : null;
      if (data.templateVersionId && !template) throw new AppError("INVALID_INPUT", "That template version does not exist.", { templateVersionId: ["Choose a template from the list."] });
      await recordAuditEvent(tx, {
        actor: ctx.actor,
        action: auditActions.PROJECT_CREATED,
        entityType: "project",
        entityId: project.id,
        projectId: project.id,
        after: {
          ...project,
          targetGoLive: data.targetGoLive ?? null,
          lead: { id: lead.id, name: lead.name, email: lead.email },
          templateVersionId: template?.id ?? null,
        },
        requestId: ctx.requestId,
      });
      if (template) {
        await tx.project.update({ where: { id: project.id }, data: { templateVersionId: template.id } });
        await addChecklistRows(tx, ctx, project.id, fromStoredContent(template.content), { kind: "template", templateVersionId: template.id, template: template.template.name, version: template.version });
      } else if (imported && upload) {
        await addChecklistRows(tx, ctx, project.id, imported.checklist, { kind: "markdown", source: upload.source, stats: imported.stats });
      }
      const stats = imported?.stats;
      return { id: project.id, slug: project.slug, imported: stats ? { items: stats.items, sections: stats.sections, checked: stats.checked } : null };
    }, LONG_TRANSACTION);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", `A project with the slug "${data.slug}" already exists.`, { slug: ["This slug is taken; choose another."] });
    }
    throw error;
  }
}

/** Membership changes to one project are serialized: two leads cannot remove each other and leave it leaderless. */
async function lockProjectForMemberChange(tx: Tx, actor: Actor, projectId: string): Promise<void> {
  await lockProjectFor(tx, actor, projectId, "project.manageMembers");
}

async function assertKeepsALead(tx: Tx, projectId: string, userId: string, newRoles: readonly ProjectRole[]): Promise<void> {
  if (newRoles.includes("LEAD")) return;
  const otherLeads = await tx.projectMember.count({ where: { projectId, userId: { not: userId }, roles: { has: "LEAD" } } });
  if (otherLeads === 0) {
    throw new AppError("CONFLICT", "A project needs at least one lead: make someone else lead first.", {
      roles: ["A project needs at least one lead."],
    });
  }
}

/**
 * Who granted each signing role once the member holds `roles`: a role newly held is granted by
 * the actor (themself, if they change their own roles), a role kept keeps whoever granted it,
 * a role dropped forgets it.
 */
function grantsAfter(actorId: string, roles: readonly ProjectRole[], before: (RoleGrantColumns & { roles: readonly ProjectRole[] }) | null): RoleGrantColumns {
  const grants: RoleGrantColumns = { approverGrantedById: null, devopsGrantedById: null, dbaGrantedById: null, securityGrantedById: null };
  for (const role of signingRoles) {
    if (!roles.includes(role)) continue;
    const column = roleGrantColumns[role];
    grants[column] = before?.roles.includes(role) ? before[column] : actorId;
  }
  return grants;
}

/** A membership in an audit event: who, which roles, and who granted each signing role (by user id). */
function memberSnapshot(user: { id: string; name: string; email: string }, roles: readonly ProjectRole[], grants: RoleGrantColumns) {
  return { userId: user.id, name: user.name, email: user.email, roles: [...roles], grantedBy: roleGrants({ ...grants, roles }) };
}

/** The membership row (with who granted each signing role) and its member.added event, in `tx`. */
async function createMembership(tx: Tx, ctx: ServiceContext, projectId: string, user: { id: string; name: string; email: string }, roles: ProjectRole[]): Promise<void> {
  const grants = grantsAfter(ctx.actor.id, roles, null);
  await tx.projectMember.create({ data: { projectId, userId: user.id, roles, ...grants } });
  await recordAuditEvent(tx, {
    actor: ctx.actor,
    action: auditActions.MEMBER_ADDED,
    entityType: "member",
    entityId: user.id,
    projectId,
    after: memberSnapshot(user, roles, grants),
    requestId: ctx.requestId,
  });
}

export async function addMember(ctx: ServiceContext, input: unknown): Promise<void> {
  const data = parseInput(addMemberSchema, input);
  try {
    await db.$transaction(async (tx) => {
      await lockProjectForMemberChange(tx, ctx.actor, data.projectId);
      const user = await tx.user.findFirst({ where: { id: data.userId, disabledAt: null }, select: { id: true, name: true, email: true } });
      if (!user) throw new AppError("INVALID_INPUT", "That person does not exist or is disabled.", { userId: ["Choose an active user."] });
      await createMembership(tx, ctx, data.projectId, user, data.roles);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", "That person is already a member; change their roles instead.", { userId: ["Already a member."] });
    }
    throw error;
  }
}

/**
 * A lead (or an admin) invites someone new to their project: an account with no global role and
 * no password, the membership with the roles chosen, and an invitation email (a single-use
 * SET_PASSWORD link, 24 hours, its token sealed with `secret` on its way through the queue), all
 * in one transaction with their audit events (user.created naming the project, member.added).
 * Someone who already has an account is added from the list instead (CONFLICT on `email`).
 */
export async function inviteMember(ctx: ServiceContext, input: unknown, options: { secret: string }): Promise<{ userId: string }> {
  const data = parseInput(inviteMemberSchema, input);
  try {
    return await db.$transaction(async (tx) => {
      await lockProjectForMemberChange(tx, ctx.actor, data.projectId);
      if (await tx.user.findUnique({ where: { email: data.email }, select: { id: true } })) {
        throw new AppError("CONFLICT", "This person already has an account: add them from the list above.", { email: ["Already has an account: choose them in the list above."] });
      }
      const user = await tx.user.create({ data: { email: data.email, name: data.name }, select: { id: true, email: true, name: true, title: true, globalRoles: true } });
      const link = await createSetPasswordLink(tx, user.id);
      await enqueueJob(tx, jobNames.accountEmail, { linkId: link.id, sealed: sealToken(link.token, options.secret), kind: "invitation", invitedBy: ctx.actor.name }, { maxAttempts: 5 });
      await recordAuditEvent(tx, {
        actor: ctx.actor,
        action: auditActions.USER_CREATED,
        entityType: "user",
        entityId: user.id,
        projectId: data.projectId,
        after: { ...user, invited: true, invitedToProject: data.projectId, signInLink: { id: link.id, purpose: "SET_PASSWORD", expiresAt: link.expiresAt.toISOString() } },
        requestId: ctx.requestId,
      });
      await createMembership(tx, ctx, data.projectId, user, data.roles);
      return { userId: user.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", "This person already has an account: add them from the list above.", { email: ["Already has an account."] });
    throw error;
  }
}

export async function setMemberRoles(ctx: ServiceContext, input: unknown): Promise<void> {
  const data = parseInput(setMemberRolesSchema, input);
  await db.$transaction(async (tx) => {
    await lockProjectForMemberChange(tx, ctx.actor, data.projectId);
    const member = await tx.projectMember.findUnique({
      where: { projectId_userId: { projectId: data.projectId, userId: data.userId } },
      select: { id: true, roles: true, ...roleGrantSelect, updatedAt: true, user: { select: { id: true, name: true, email: true } } },
    });
    if (!member) throw new AppError("NOT_FOUND", "That person is not a member of this project.");
    if (member.updatedAt.toISOString() !== new Date(data.expectedUpdatedAt).toISOString()) {
      throw new AppError("CONFLICT", `Someone else changed ${member.user.name}'s roles meanwhile (now: ${member.roles.join(", ")}). Reload and try again.`);
    }
    await assertKeepsALead(tx, data.projectId, data.userId, data.roles);
    const grants = grantsAfter(ctx.actor.id, data.roles, member);
    await tx.projectMember.update({ where: { id: member.id }, data: { roles: data.roles, ...grants } });
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.MEMBER_ROLES_CHANGED,
      entityType: "member",
      entityId: member.user.id,
      projectId: data.projectId,
      before: memberSnapshot(member.user, member.roles, member),
      after: memberSnapshot(member.user, data.roles, grants),
      requestId: ctx.requestId,
    });
  });
}

export async function removeMember(ctx: ServiceContext, input: unknown): Promise<void> {
  const data = parseInput(removeMemberSchema, input);
  await db.$transaction(async (tx) => {
    await lockProjectForMemberChange(tx, ctx.actor, data.projectId);
    const member = await tx.projectMember.findUnique({
      where: { projectId_userId: { projectId: data.projectId, userId: data.userId } },
      select: { id: true, roles: true, ...roleGrantSelect, user: { select: { id: true, name: true, email: true } } },
    });
    if (!member) throw new AppError("NOT_FOUND", "That person is not a member of this project.");
    await assertKeepsALead(tx, data.projectId, data.userId, []);
    await tx.projectMember.delete({ where: { id: member.id } });
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.MEMBER_REMOVED,
      entityType: "member",
      entityId: member.user.id,
      projectId: data.projectId,
      before: memberSnapshot(member.user, member.roles, member),
      requestId: ctx.requestId,
    });
  });
}

/** Sets or removes the URL a project's notifications are also POSTed to. */
export async function setProjectWebhook(ctx: ServiceContext, input: unknown): Promise<void> {
  const data = parseInput(setWebhookSchema, input);
  if (data.webhookUrl !== "") {
    // Resolving the host tells whoever asks what an internal name resolves to, so only someone
    // allowed to set the webhook gets that far; the transaction asks the policy again under the lock.
    assertCan(ctx.actor, "project.configureNotifications", { kind: "project", projectId: data.projectId, roles: await getActorProjectRoles(ctx.actor, data.projectId) });
    await assertWebhookTarget(data.webhookUrl);
  }
  await db.$transaction(async (tx) => {
    await lockProjectFor(tx, ctx.actor, data.projectId, "project.configureNotifications");
    const before = await tx.project.findUniqueOrThrow({ where: { id: data.projectId }, select: { webhookUrl: true } });
    const webhookUrl = data.webhookUrl === "" ? null : data.webhookUrl;
    if (before.webhookUrl === webhookUrl) return;
    await tx.project.update({ where: { id: data.projectId }, data: { webhookUrl } });
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.PROJECT_WEBHOOK_CHANGED,
      entityType: "project",
      entityId: data.projectId,
      projectId: data.projectId,
      before: { webhook: webhookOrigin(before.webhookUrl) },
      after: { webhook: webhookOrigin(webhookUrl) },
      requestId: ctx.requestId,
    });
  });
}

/** How long saving a webhook waits for its host to resolve. */
const WEBHOOK_RESOLVE_TIMEOUT_MS = 5_000;

/**
 * Refuses a webhook URL the outbound guard would refuse at delivery, with the reason on the
 * field. An https:// host that does not resolve now is accepted: DNS may answer later, and every
 * delivery vets the URL again. Plain http:// must be shown to lead to an allowed internal address.
 */
async function assertWebhookTarget(url: string): Promise<void> {
  try {
    await vetWebhookUrl(url, { allowance: env().OUTBOUND_ALLOW_PRIVATE, signal: AbortSignal.timeout(WEBHOOK_RESOLVE_TIMEOUT_MS) });
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    if (error.failure !== "refused" && new URL(url).protocol === "https:") return;
    const reason = error.failure === "refused" ? `${error.message}.` : `Enter an https:// URL: http:// needs a host that resolves to an internal address the server allows, and ${new URL(url).hostname} could not be resolved.`;
    throw new AppError("INVALID_INPUT", `Invalid input. webhookUrl: ${reason}`, { webhookUrl: [reason] });
  }
}
