import { z } from "zod";
import { signoffSlots } from "@/lib/signoffs/digest";
import { optionalField } from "@/lib/validation";
import { proofFields } from "@/lib/users/schema";

/** A checkbox as forms send it ("on" or absent) or JSON as a boolean. */
const checkbox = z.preprocess((value) => value === true || value === "on" || value === "true", z.boolean());

export const signSlotSchema = z
  .object({
    projectId: z.uuid("Choose a project."),
    slot: z.enum(signoffSlots, { error: "Choose a slot." }),
    decision: z.enum(["APPROVED", "REJECTED"], { error: "Choose approve or reject." }),
    comment: z.string().trim().max(5_000, "The comment is too long.").default(""),
    reason: optionalField(z.string().trim().max(5_000, "The reason is too long.")),
    /** The round the approver saw as the latest (0: none yet): a newer round makes this a conflict. */
    expectedRound: z.coerce.number({ error: "The page is out of date; reload it." }).int().min(0),
    /** The digest shown to the approver: they sign exactly that state, or nothing. */
    expectedDigest: z.string().regex(/^[0-9a-f]{64}$/, "The page is out of date; reload it."),
    /** The approver confirms approving a scope whose required items are not all ready (only where the project allows it). */
    confirmOpenItems: checkbox.default(false),
    /** The password (or, later, a code) given again to sign, when the session's last proof is too old (lib/users/proof.ts). */
    ...proofFields,
  })
  .refine((value) => value.decision !== "REJECTED" || Boolean(value.reason), { path: ["reason"], message: "A rejection needs a reason." });

export const configureSlotsSchema = z.object({
  projectId: z.uuid("Choose a project."),
  requiredSlots: z
    .array(z.enum(signoffSlots), { error: "Choose the required slots." })
    // The Go-live slot is the decision to go live, and going live needs someone else's: it stays.
    .refine((slots) => slots.includes("GO_LIVE"), "The Go-live sign-off is always required: going live needs the approval of someone other than the person marking the project live.")
    .transform((slots) => signoffSlots.filter((slot) => slots.includes(slot))),
  ownersMayApprove: checkbox,
  approveWithOpenItems: checkbox.default(false),
  /** Separation of duties: whoever completed or waived an item of a slot's scope may not approve that slot. */
  separationOfDuties: checkbox.default(false),
});

export const markLiveSchema = z.object({ projectId: z.uuid("Choose a project."), ...proofFields });

/**
 * Why a sign-off went stale, as signoffs.stale_cause and the `cause` of its signoff.stale event
 * hold it: a change to items it covers (the audit action, the item if one, a title), or a change
 * of the slots go-live requires (also which slots, before and after).
 */
export const staleCauseSchema = z.union([
  z.object({ action: z.literal("signoff.slots_changed"), itemId: z.null(), title: z.string(), requiredSlots: z.object({ before: z.array(z.enum(signoffSlots)), after: z.array(z.enum(signoffSlots)) }) }),
  z.object({ action: z.string(), itemId: z.string().nullable(), title: z.string() }),
]);
export type StaleCause = z.infer<typeof staleCauseSchema>;
export type SlotsChangeCause = Extract<StaleCause, { requiredSlots: unknown }>;
export type ItemChangeCause = Exclude<StaleCause, SlotsChangeCause>;
