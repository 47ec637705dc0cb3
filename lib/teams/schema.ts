import { z } from "zod";
import { optionalField } from "@/lib/validation";
import { emailSchema } from "@/lib/users/schema";
import { rolesSchema, slugify, slugSchema } from "@/lib/projects/schema";

const teamFields = {
  name: z.string({ error: "Name is required." }).trim().min(2, "Name must be at least 2 characters.").max(120, "Name is too long."),
  description: z.string().trim().max(2000, "Description is too long.").default(""),
  /** The single sign-on group whose members join the team at sign-in (none: members are added by hand only). */
  oidcGroup: optionalField(z.string().trim().max(255, "The group name is too long.")),
  /** The roles a member who joins through the group gets. */
  oidcRoles: z.array(z.string()).default([]),
};

/** The group's roles are asked for only when there is a group: without one they are never used. */
function withGroupRoles<T extends { oidcGroup?: string | undefined; oidcRoles: string[] }>({ oidcGroup, oidcRoles, ...value }: T, ctx: z.RefinementCtx) {
  if (oidcGroup === undefined) return { ...value, oidcGroup: null, oidcRoles: ["VIEWER" as const] };
  const roles = rolesSchema.safeParse(oidcRoles);
  if (!roles.success) {
    ctx.addIssue({ code: "custom", path: ["oidcRoles"], message: "Choose the roles the group's members get." });
    return z.NEVER;
  }
  return { ...value, oidcGroup, oidcRoles: roles.data };
}

export const createTeamSchema = z
  .object({ ...teamFields, slug: optionalField(slugSchema) })
  .transform((value) => ({ ...value, slug: value.slug ?? slugify(value.name) }))
  .refine((value) => slugSchema.safeParse(value.slug).success, { path: ["slug"], message: "Choose a slug: the name gives none." })
  .transform(withGroupRoles);

export const updateTeamSchema = z
  .object({
    teamId: z.uuid("Choose a team."),
    ...teamFields,
    /** The team's updatedAt as the editor saw it: a stale edit is refused with CONFLICT. */
    expectedUpdatedAt: z.iso.datetime({ error: "The form is out of date; reload the page." }),
  })
  .transform(withGroupRoles);

export const addTeamMemberSchema = z.object({
  teamId: z.uuid("Choose a team."),
  email: emailSchema,
  roles: rolesSchema,
});

export const setTeamMemberRolesSchema = z.object({
  teamId: z.uuid("Choose a team."),
  userId: z.uuid("Choose a person."),
  roles: rolesSchema,
  /** The team membership's updatedAt as the editor saw it: a stale edit is refused with CONFLICT. */
  expectedUpdatedAt: z.iso.datetime({ error: "The form is out of date; reload the page." }),
});

export const removeTeamMemberSchema = z.object({
  teamId: z.uuid("Choose a team."),
  userId: z.uuid("Choose a person."),
});

export const setProjectTeamSchema = z.object({
  projectId: z.uuid("Choose a project."),
  /** The owning team's id, or "" for none. */
  teamId: z.union([z.literal(""), z.uuid("Choose a team from the list.")], { error: "Choose a team from the list." }),
  /** The owning team the form showed ("" for none): a change made meanwhile is refused with CONFLICT. */
  expectedTeamId: z.union([z.literal(""), z.uuid()], { error: "The form is out of date; reload the page." }),
});
