import { findShapeProblem } from "@/lib/import/limits";
import { z } from "zod";
import { areas, itemStatuses } from "@/lib/checklists/types";
import { optionalField } from "@/lib/validation";
import { proofFields } from "@/lib/users/schema";
import { isValidTimeZone } from "@/lib/time";
import { MAX_LEVEL_NAME, MAX_LEVELS, MIN_LEVELS } from "@/lib/checklists/levels";

const optionalText = (max: number, label: string) => optionalField(z.string().trim().max(max, `${label} is too long (at most ${max} characters).`));

const renewDaysMessage = "Renew every: a whole number of days from 1 to 3650, or empty for never.";

const itemRef = {
  itemId: z.uuid("Choose an item."),
  /** The item's version as the editor saw it: a change based on an older one is refused. */
  expectedVersion: z.coerce.number({ error: "The form is out of date; reload the item." }).int().min(1),
};

const httpUrl = z
  .url({ error: "Enter a full link starting with https:// or http://." })
  .max(2_000, "The link is too long.")
  .refine((value) => /^https?:\/\//i.test(value), "Only http(s) links are accepted.");

export const updateItemSchema = z.object({
  ...itemRef,
  status: optionalField(z.enum(itemStatuses, { error: "Choose a status." })),
  area: optionalField(z.enum(areas, { error: "Choose an area." })),
  title: optionalField(z.string().trim().min(1).max(500, "Title is too long (at most 500 characters).")),
  // Details are Markdown, shown rendered: the importer's shape limits keep the renderer fast.
  details: z
    .string()
    .max(20_000, "Details are too long (at most 20,000 characters).")
    .superRefine((text, context) => {
      const problem = findShapeProblem(text);
      if (problem) context.addIssue({ code: "custom", message: `Details: ${problem}` });
    })
    .optional(),
  required: z.preprocess((value) => (value === "true" || value === "on" ? true : value === "false" ? false : value), z.boolean().optional()),
  /** The item's maturity level: an index into its project's levels (lowest: 0). */
  level: optionalField(z.coerce.number({ error: "Choose a level." }).int("Choose a level.").min(0, "Choose a level.").max(MAX_LEVELS - 1, "Choose a level.")),
  /** Re-attestation: a done item's evidence must be renewed every so many days; null (or empty) for never. */
  renewEveryDays: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? null : value),
    z.union([z.null(), z.coerce.number({ error: renewDaysMessage }).int(renewDaysMessage).min(1, renewDaysMessage).max(3_650, renewDaysMessage)]).optional(),
  ),
  /** Why NOT_APPLICABLE, what BLOCKS it, or the risk a waiver accepts. */
  statusReason: optionalText(2_000, "Reason"),
  /** The risk owner: a member of the project (their name is copied onto the waiver). */
  waiverRiskOwnerId: optionalField(z.uuid("Choose the risk owner from the project's members.")),
  waiverControls: optionalText(2_000, "Compensating controls"),
  waiverExpiresAt: optionalField(z.iso.date("Enter the expiry as YYYY-MM-DD.")),
  /** A note recorded as evidence with this change (e.g. how it was done). */
  note: optionalText(5_000, "Note"),
  /** A link recorded as evidence with this change (the note, if any, goes with it): evidence and status in one step. */
  link: optionalField(httpUrl),
});

/** Accepting a waiver request: the item as the person deciding saw it, and (when the session's is old) a proof of identity. */
export const acceptWaiverSchema = z.object({ ...itemRef, ...proofFields });

/** Declining a waiver request, with the reason the requester is told. */
export const declineWaiverSchema = z.object({
  ...itemRef,
  reason: z.string({ error: "Say why the waiver is declined." }).trim().min(1, "Say why the waiver is declined.").max(2_000, "The reason is too long (at most 2,000 characters)."),
});

export const addEvidenceSchema = z.discriminatedUnion("kind", [
  z.object({ ...itemRef, kind: z.literal("LINK"), url: httpUrl, note: optionalText(5_000, "Note") }),
  z.object({ ...itemRef, kind: z.literal("NOTE"), note: z.string().trim().min(1, "Write the note.").max(5_000, "The note is too long.") }),
]);

export const removeEvidenceSchema = z.object({ ...itemRef, evidenceId: z.uuid("Choose the evidence to remove.") });

export const addCommentSchema = z.object({
  itemId: z.uuid("Choose an item."),
  body: z.string().trim().min(1, "Write a comment.").max(5_000, "The comment is too long (at most 5,000 characters)."),
});

export const dueFilters = ["overdue", "soon", "none"] as const;

export const checklistFilterSchema = z.object({
  area: z.enum(areas).optional().catch(undefined),
  status: z.enum([...itemStatuses, "OPEN", "WAIVER_EXPIRED", "WAIVER_REQUESTED"]).optional().catch(undefined),
  /** A member's user id, or "none" for unassigned items. */
  assignee: z.union([z.literal("none"), z.uuid()]).optional().catch(undefined),
  /** Open items past their due time, due within two days, or without a due time. */
  due: z.enum(dueFilters).optional().catch(undefined),
  section: z.uuid().optional().catch(undefined),
  /** Items of one maturity level (an index into the project's levels). */
  level: z.coerce.number().int().min(0).max(MAX_LEVELS - 1).optional().catch(undefined),
});
export type ChecklistFilter = z.infer<typeof checklistFilterSchema>;

const KEEP = "keep";
const keepWhenEmpty = (value: unknown) => (value === "" || value == null ? KEEP : value);

/** One item of a bulk change, as the page saw it: "<item id>:<version>". */
const itemAtVersion = z.string().transform((value, ctx) => {
  const [itemId = "", version = ""] = value.split(":");
  const parsed = z.object({ itemId: z.uuid(), expectedVersion: z.coerce.number().int().min(1) }).safeParse({ itemId, expectedVersion: version });
  if (!parsed.success) {
    ctx.addIssue({ code: "custom", message: "The selection is out of date; reload the page." });
    return z.NEVER;
  }
  return parsed.data;
});

export const assignItemsSchema = z
  .object({
    projectId: z.uuid("Choose a project."),
    items: z.array(itemAtVersion, { error: "Choose the items to change." }).min(1, "No items are selected.").max(5_000, "Change at most 5,000 items at once."),
    /** A member's user id, "none" to unassign, or "keep". */
    assigneeId: z.preprocess(keepWhenEmpty, z.union([z.literal(KEEP), z.literal("none"), z.uuid()], { error: "Choose a person from the list." })),
    /** YYYY-MM-DD (the end of that day in `timeZone`), "none" to clear, or "keep". */
    dueDate: z.preprocess(
      keepWhenEmpty,
      z
        .union([z.literal(KEEP), z.literal("none"), z.iso.date()], { error: "Enter the due date as YYYY-MM-DD." })
        .refine((value) => value === KEEP || value === "none" || (value >= "2000-01-01" && value <= "2100-12-31"), "Enter a due date between 2000 and 2100."),
    ),
    timeZone: z.preprocess((value) => (value === "" || value == null ? "UTC" : value), z.string().refine(isValidTimeZone, "Unknown time zone.")),
  })
  .refine((value) => value.assigneeId !== KEEP || value.dueDate !== KEEP, { message: "Choose a person or a due date to set.", path: ["assigneeId"] });

/** The facts a result carries: any JSON object, kept as sent, up to 16 KiB. */
const resultFacts = z
  .record(z.string().max(200, "A fact's name is too long (at most 200 characters)."), z.json())
  .refine((facts) => JSON.stringify(facts).length <= 16_384, "Facts are too large (at most 16 KiB of JSON).");

/** A result pushed for an item: pass or fail, what was found, where to see it, and the facts. */
export const recordResultSchema = z.object({
  itemId: z.uuid("Choose an item."),
  status: z.enum(["pass", "fail"], { error: "Say whether it passed: \"pass\" or \"fail\"." }),
  summary: z.string({ error: "Say what the run found." }).trim().min(1, "Say what the run found.").max(500, "The summary is too long (at most 500 characters)."),
  url: httpUrl.optional(),
  facts: resultFacts.optional(),
  /** A passing result marks an open item done, with the result as its evidence. */
  markDone: z.boolean({ error: "markDone is true or false." }).optional(),
  /**
   * Damping: how many consecutive failing results after a pass (this one included) it takes before
   * the failure counts: reopens a done item, makes sign-offs stale, notifies. Default 1.
   */
  failuresToReopen: z.number({ error: "failuresToReopen is a whole number from 1 to 10." }).int("failuresToReopen is a whole number from 1 to 10.").min(1, "failuresToReopen is a whole number from 1 to 10.").max(10, "failuresToReopen is a whole number from 1 to 10.").optional(),
});

/** Level names as a form sends them (one per line, or one field per level) or a JSON body (a list); blank lines are not levels. */
const levelNames = z.preprocess(
  (value) => (typeof value === "string" ? value.split("\n") : Array.isArray(value) ? value.flatMap((entry) => (typeof entry === "string" ? entry.split("\n") : [entry])) : value),
  z
    .array(z.string({ error: "A level name is text." }).trim().max(MAX_LEVEL_NAME, `A level name is at most ${MAX_LEVEL_NAME} characters.`), { error: "List the levels, one per line." })
    .transform((names) => names.filter((name) => name !== "")),
);

/**
 * A project's levels (lowest first; none for a checklist without levels) and its target level.
 * The target is an index into the new levels; left out, it stays with its level through a
 * rename or a reordering (lib/checklists/levels.ts, remapLevels).
 */
export const configureLevelsSchema = z
  .object({
    projectId: z.uuid("Choose a project."),
    levels: levelNames
      .refine((names) => names.length === 0 || (names.length >= MIN_LEVELS && names.length <= MAX_LEVELS), `Give ${MIN_LEVELS} to ${MAX_LEVELS} levels, lowest first, one per line (or none, for a checklist without levels).`)
      .refine((names) => new Set(names.map((name) => name.toLowerCase())).size === names.length, "Give each level a name of its own."),
    targetLevel: optionalField(z.coerce.number({ error: "Choose the target level." }).int("Choose the target level.").min(0, "Choose the target level.")),
    /** The levels and target as the editor saw them: a change by someone else since is a conflict. */
    expectedLevels: levelNames,
    expectedTargetLevel: z.coerce.number({ error: "The form is out of date; reload the page." }).int().min(0),
  })
  .refine((value) => value.targetLevel === undefined || value.targetLevel < Math.max(value.levels.length, 1), { path: ["targetLevel"], message: "Choose the target among the levels." });
