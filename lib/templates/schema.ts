import { z } from "zod";
import { slugSchema, slugify } from "@/lib/projects/schema";
import { optionalField } from "@/lib/validation";

/** Text from a form or the raw bytes of an uploaded file (the importer checks their encoding). */
const markdown = z.union([z.string().min(1, "Paste or upload the checklist as Markdown."), z.instanceof(Uint8Array)], {
  error: "Paste or upload the checklist as Markdown.",
});

export const createTemplateSchema = z
  .object({
    name: z.string({ error: "Name is required." }).trim().min(2, "Name must be at least 2 characters.").max(120, "Name is too long."),
    slug: optionalField(slugSchema),
    description: z.string().trim().max(2_000, "Description is too long.").default(""),
    markdown,
  })
  .transform((value) => ({ ...value, slug: value.slug ?? slugify(value.name) }));

export const createTemplateVersionSchema = z.object({
  templateId: z.uuid("Choose a template."),
  /** The latest version the editor saw: someone else's newer version makes this a conflict. */
  expectedVersion: z.coerce.number().int().min(1),
  markdown,
});

export const upgradeProjectSchema = z.object({
  projectId: z.uuid("Choose a project."),
  /** The version the project is on as the lead saw it. */
  fromVersionId: z.uuid("The page is out of date; reload it."),
  toVersionId: z.uuid("Choose the version to move to."),
});
