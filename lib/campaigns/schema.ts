import { z } from "zod";
import { areas } from "@/lib/checklists/types";
import { slugify, slugSchema } from "@/lib/projects/schema";
import { optionalField } from "@/lib/validation";

// What a campaign is made of, as people enter it. A campaign is drafted (brief, dates, the
// projects it selects, its items), then started, then ended; only a draft's items and
// selection change.

const day = z.string({ error: "Enter a date as YYYY-MM-DD." }).trim().pipe(z.iso.date("Enter a date as YYYY-MM-DD."));
const ids = (message: string) =>
  z
    .array(z.uuid(message))
    .max(500, "Choose at most 500.")
    .default([])
    .transform((values) => [...new Set(values)]);

export const campaignItemSchema = z.object({
  title: z.string({ error: "Title is required." }).trim().min(1, "Title is required.").max(500, "Title is too long."),
  details: z.string().trim().max(20_000, "Guidance is too long.").default(""),
  area: z.enum(areas, { error: "Choose an area." }),
  /** A level name, matched by name in each project's levels (absent, or a name a project lacks: its lowest). */
  level: optionalField(z.string().trim().max(40, "A level name is at most 40 characters.")),
  required: z.boolean().default(true),
});
export type CampaignItem = z.output<typeof campaignItemSchema>;

export const campaignItemsSchema = z.array(campaignItemSchema).max(50);

const selection = {
  teamIds: ids("Choose teams from the list."),
  templateIds: ids("Choose templates from the list."),
  projectIds: ids("Choose projects from the list."),
};

export const createCampaignSchema = z
  .object({
    name: z.string({ error: "Name is required." }).trim().min(2, "Name must be at least 2 characters.").max(120, "Name is too long."),
    slug: optionalField(slugSchema),
    brief: z.string().trim().max(20_000, "The brief is too long.").default(""),
    startsOn: day,
    dueOn: day,
    ...selection,
  })
  .refine((value) => value.dueOn >= value.startsOn, { path: ["dueOn"], message: "The due date cannot be before the start." })
  .refine((value) => value.teamIds.length + value.templateIds.length + value.projectIds.length > 0, { path: ["projectIds"], message: "Choose at least one team, template or project." })
  .transform((value) => ({ ...value, slug: value.slug ?? slugify(value.name) }))
  .refine((value) => slugSchema.safeParse(value.slug).success, { path: ["slug"], message: "Choose a slug: the name gives none." });

export const addCampaignItemSchema = campaignItemSchema.extend({ campaignId: z.uuid("Choose a campaign."), expectedVersion: z.coerce.number().int().min(1) });
export const removeCampaignItemSchema = z.object({ campaignId: z.uuid("Choose a campaign."), expectedVersion: z.coerce.number().int().min(1), index: z.coerce.number().int().min(0) });
export const campaignStepSchema = z.object({ campaignId: z.uuid("Choose a campaign."), expectedVersion: z.coerce.number().int().min(1) });
export const campaignToTemplateSchema = campaignStepSchema.extend({ templateId: z.uuid("Choose a template.") });
