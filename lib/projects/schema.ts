import { emailSchema } from "@/lib/users/schema";
import { z } from "zod";
import { optionalField } from "@/lib/validation";

export const projectRoleSchema = z.enum(["LEAD", "DEVOPS", "DBA", "SECURITY", "APPROVER", "VIEWER"]);
export const projectRoles = projectRoleSchema.options;

export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, "Slug must be at least 2 characters.")
  .max(60, "Slug must be at most 60 characters.")
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Slug may contain only lower-case letters, digits and single hyphens.");

export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // accents split off by NFKD: "é" → "e"
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
}


export const createProjectSchema = z
  .object({
    name: z.string({ error: "Name is required." }).trim().min(2, "Name must be at least 2 characters.").max(120, "Name is too long."),
    slug: optionalField(slugSchema),
    description: z.string().trim().max(2000, "Description is too long.").default(""),
    targetGoLive: optionalField(z.string().trim().pipe(z.iso.date("Enter a date as YYYY-MM-DD."))),
    /** The template version to start the checklist from (none: empty, or an uploaded file). */
    templateVersionId: optionalField(z.string().trim().pipe(z.uuid("Choose a template from the list."))),
    /** Who leads the project; defaults to the person creating it. */
    leadUserId: optionalField(z.string().trim().pipe(z.uuid("Choose a lead from the list."))),
  })
  .transform((value) => ({ ...value, slug: value.slug ?? slugify(value.name) }))
  .refine((value) => slugSchema.safeParse(value.slug).success, { path: ["slug"], message: "Choose a slug: the name gives none." });

export const rolesSchema = z
  .array(projectRoleSchema, { error: "Choose at least one role." })
  .min(1, "Choose at least one role.")
  .transform((roles) => [...new Set(roles)].sort((a, b) => projectRoles.indexOf(a) - projectRoles.indexOf(b)));

export const addMemberSchema = z.object({
  projectId: z.uuid("Choose a project."),
  userId: z.uuid("Choose a person."),
  roles: rolesSchema,
});

/** A lead invites someone who has no account yet: an account is made for them, with these project roles and no global role. */
export const inviteMemberSchema = z.object({
  projectId: z.uuid("Choose a project."),
  email: emailSchema,
  name: z.string({ error: "Name is required." }).trim().min(1, "Name is required.").max(120, "Name is too long."),
  roles: rolesSchema,
});

export const setMemberRolesSchema = z.object({
  projectId: z.uuid("Choose a project."),
  userId: z.uuid("Choose a person."),
  roles: rolesSchema,
  /** The membership's updatedAt as the editor saw it: a stale edit is refused with CONFLICT. */
  expectedUpdatedAt: z.iso.datetime({ error: "The form is out of date; reload the page." }),
});

export const removeMemberSchema = z.object({
  projectId: z.uuid("Choose a project."),
  userId: z.uuid("Choose a person."),
});

export const setWebhookSchema = z.object({
  projectId: z.uuid("Choose a project."),
  /**
   * An https:// URL (http:// only to an internal address the server allows), or "" to stop
   * sending. Where it leads is judged by setProjectWebhook (lib/notifications/webhook-target.ts).
   */
  webhookUrl: z
    .string()
    .trim()
    .max(2_000, "The webhook URL is too long.")
    .refine((value) => value === "" || (URL.canParse(value) && isWebhookShaped(new URL(value))), "Enter an https:// URL without a user name or password."),
});

function isWebhookShaped(url: URL): boolean {
  return (url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password;
}

/** What the audit trail keeps of a webhook URL: its origin. The path of a Slack-style hook is a secret. */
export function webhookOrigin(value: string | null): string | null {
  return value ? `${new URL(value).origin}/…` : null;
}
