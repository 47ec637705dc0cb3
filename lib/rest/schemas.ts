import { z } from "zod";
import { areas, itemStatuses } from "@/lib/checklists/types";
import { dueFilters } from "@/lib/checklists/schema";
import { signoffSlots } from "@/lib/signoffs/digest";
import { errorCodes } from "@/lib/errors";

// What the REST API answers, as zod schemas: each handler passes its answer through one of them
// (so a field the schema does not name never leaks out), and the OpenAPI document
// (lib/rest/openapi.ts) is generated from the same schemas, so it cannot drift from the answers.

const isoInstant = z.iso.datetime({ offset: true }).describe("An ISO 8601 instant (UTC).");
const isoDay = z.iso.date().describe("A calendar day, YYYY-MM-DD.");

export const effectiveStatuses = [...itemStatuses, "WAIVER_EXPIRED", "WAIVER_REQUESTED"] as const;

export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(errorCodes) as [keyof typeof errorCodes, ...(keyof typeof errorCodes)[]]),
      message: z.string().describe("Safe to show to a person."),
      fieldErrors: z.record(z.string(), z.array(z.string())).optional().describe("Field name → messages, for bad input (422)."),
      data: z.record(z.string(), z.unknown()).optional().describe("Extra data, e.g. `current`: the record as it is now, on 409."),
    }),
  })
  .meta({ id: "Error" });

export const apiWaiverSchema = z
  .object({
    reason: z.string().nullable(),
    riskOwnerId: z.uuid().nullable().describe("The risk owner as a member (null: a name recorded before risk owners were members)."),
    riskOwner: z.string().nullable(),
    controls: z.string().nullable(),
    expiresAt: isoDay.nullable(),
    requestedBy: z.string().nullable(),
    acceptedBy: z.string().nullable(),
    acceptedAt: isoInstant.nullable().describe("Null while the waiver is a request: it counts only once someone other than the requester accepts it."),
  })
  .meta({ id: "Waiver" });

export const apiItemSchema = z
  .object({
    id: z.uuid(),
    sectionId: z.uuid(),
    sectionTitle: z.string(),
    parentId: z.uuid().nullable(),
    path: z.array(z.string()).describe("Titles of the enclosing items, outermost first."),
    title: z.string(),
    details: z.string().describe("Markdown."),
    area: z.enum(areas),
    required: z.boolean(),
    level: z.int().min(0).describe("Its maturity level: an index into the project's levels, lowest 0 (0 when the project has none)."),
    levelName: z.string().nullable().describe("That level's name; null when the project has no levels."),
    countsForTarget: z.boolean().describe("Whether it counts for the gate, readiness and sign-offs: false for an item above the project's target level."),
    status: z.enum(itemStatuses).describe("As stored."),
    effectiveStatus: z.enum(effectiveStatuses).describe("As the gate sees it now: a waiver is WAIVER_REQUESTED until accepted and WAIVER_EXPIRED after its expiry."),
    statusReason: z.string().nullable().describe("Why not applicable, what blocks it, or the risk a waiver accepts."),
    waiver: apiWaiverSchema.nullable(),
    assignee: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    dueAt: isoInstant.nullable(),
    version: z.int().min(1).describe("Send it back as `expectedVersion` to change the item: a change based on an older version is refused with 409."),
    evidenceCount: z.int().min(0),
    commentCount: z.int().min(0),
    updatedAt: isoInstant,
  })
  .meta({ id: "Item" });

export const apiEvidenceSchema = z
  .object({ id: z.uuid(), kind: z.enum(["LINK", "NOTE"]), url: z.string().nullable(), note: z.string(), addedByName: z.string(), createdAt: isoInstant })
  .meta({ id: "Evidence" });

export const apiCommentSchema = z.object({ id: z.uuid(), authorName: z.string(), body: z.string(), createdAt: isoInstant }).meta({ id: "Comment" });

export const apiResultSchema = z
  .object({
    id: z.uuid(),
    outcome: z.enum(["PASS", "FAIL"]),
    counted: z.boolean().describe("False for a failure that waits to be repeated before it counts (failuresToReopen)."),
    summary: z.string(),
    url: z.string().nullable(),
    facts: z.record(z.string(), z.unknown()).describe("What the run found, as it was sent."),
    actorName: z.string().describe("Who or what recorded it: a person, or a token as \"NAME (token ssp_…)\"."),
    recordedAt: isoInstant,
  })
  .meta({ id: "Result" });

export const apiItemDetailSchema = apiItemSchema
  .extend({
    evidence: z.array(apiEvidenceSchema),
    comments: z.array(apiCommentSchema),
    results: z.array(apiResultSchema).describe("The latest results, newest first (at most 20)."),
    renewal: z
      .object({ everyDays: z.int().min(1).nullable(), dueAt: isoInstant.nullable().describe("When a done item's evidence must be renewed by (null unless done and renewal is asked for).") })
      .describe("Re-attestation."),
  })
  .meta({ id: "ItemDetail" });

export const apiResultRecordedSchema = z
  .object({
    resultId: z.uuid(),
    outcome: z.enum(["PASS", "FAIL"]),
    recordedAt: isoInstant,
    item: z.object({ id: z.uuid(), status: z.enum(itemStatuses), version: z.int().min(1), statusChanged: z.boolean().describe("A failure reopened a done item (BLOCKED), or a pass with markDone closed an open one.") }),
    stale: z.array(z.enum(signoffSlots)).describe("The sign-offs this result made stale."),
    counted: z.boolean().describe("False for a failure waiting for the repeats failuresToReopen asks for: kept, but it changed nothing yet."),
  })
  .meta({ id: "ResultRecorded" });

export const apiItemsPageSchema = z
  .object({
    items: z.array(apiItemSchema),
    total: z.int().min(0).describe("Items matching the filters, over all pages."),
    nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page."),
  })
  .meta({ id: "ItemsPage" });

export const apiItemSavedSchema = z.object({ changed: z.boolean().describe("False when the change asked for was already so: nothing was written or recorded."), item: apiItemSchema }).meta({ id: "ItemSaved" });

export const apiEvidenceAddedSchema = z.object({ evidenceId: z.uuid(), version: z.int().min(1) }).meta({ id: "EvidenceAdded" });
export const apiVersionSchema = z.object({ version: z.int().min(1) }).meta({ id: "ItemVersion" });
export const apiCommentAddedSchema = z.object({ commentId: z.uuid() }).meta({ id: "CommentAdded" });
export const apiAssignedSchema = z.object({ changed: z.int().min(0).describe("How many items changed (items already so are left alone).") }).meta({ id: "Assigned" });

// Requests. The services validate again (lib/checklists/schema.ts); these say what a caller sends.

export const itemsQuerySchema = z.object({
  area: z.enum(areas).optional(),
  status: z.enum([...itemStatuses, "OPEN", "WAIVER_EXPIRED", "WAIVER_REQUESTED"]).optional().describe("OPEN: every item that still stands in the way of go-live."),
  assignee: z.union([z.literal("none"), z.uuid()]).optional().describe("A member's user id, or `none` for unassigned items."),
  due: z.enum(dueFilters).optional(),
  section: z.uuid().optional(),
  level: z.coerce.number().int().min(0).max(9).optional().describe("Items of one maturity level (an index into the project's levels)."),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const patchItemBodySchema = z
  .object({
    expectedVersion: z.int().min(1),
    status: z.enum(itemStatuses).optional(),
    statusReason: z.string().max(2_000).optional(),
    area: z.enum(areas).optional(),
    title: z.string().min(1).max(500).optional(),
    details: z.string().max(20_000).optional(),
    required: z.boolean().optional(),
    level: z.int().min(0).max(9).optional().describe("The item's maturity level, an index into the project's levels."),
    renewEveryDays: z.int().min(1).max(3_650).nullable().optional().describe("Re-attestation: a done item's evidence must be renewed every so many days, or it goes back to TODO; null for never. Leads only."),
    waiverRiskOwnerId: z.uuid().optional(),
    waiverControls: z.string().max(2_000).optional(),
    waiverExpiresAt: isoDay.optional(),
    note: z.string().max(5_000).optional().describe("Recorded as evidence with this change."),
    link: z.url().max(2_000).optional().describe("Recorded as evidence with this change."),
  });

export const addEvidenceBodySchema = z
  .discriminatedUnion("kind", [
    z.object({ expectedVersion: z.int().min(1), kind: z.literal("LINK"), url: z.url().max(2_000), note: z.string().max(5_000).optional() }),
    z.object({ expectedVersion: z.int().min(1), kind: z.literal("NOTE"), note: z.string().min(1).max(5_000) }),
  ]);

export const addCommentBodySchema = z.object({ body: z.string().min(1).max(5_000) });

export const resultBodySchema = z.object({
  status: z.enum(["pass", "fail"]),
  summary: z.string().min(1).max(500).describe("What the run found, in a line."),
  url: z.url().max(2_000).optional().describe("Where to see the run (http or https)."),
  facts: z.record(z.string().max(200), z.unknown()).optional().describe("Any JSON object (at most 16 KiB): status codes, versions, counts, dates."),
  markDone: z.boolean().optional().describe("A pass marks an open item done, with the result as its evidence."),
  failuresToReopen: z.int().min(1).max(10).optional().describe("Damping: a failure after a pass counts (reopens a done item, makes sign-offs stale, notifies) only as the Nth in a row. Default 1: at once."),
});

export const assignmentsBodySchema = z
  .object({
    items: z.array(z.object({ itemId: z.uuid(), expectedVersion: z.int().min(1) })).min(1).max(5_000).describe("All or nothing: one outdated item refuses the lot with 409."),
    assigneeId: z.union([z.uuid(), z.literal("none"), z.literal("keep")]).default("keep"),
    dueDate: z.union([isoDay, z.literal("none"), z.literal("keep")]).default("keep").describe("The end of that day in `timeZone`."),
    timeZone: z.string().default("UTC"),
  });

const slots = ["DEVOPS", "DBA", "SECURITY", "GO_LIVE"] as const;

export const apiSignoffSchema = z
  .object({
    slot: z.enum(slots),
    round: z.int().min(1),
    state: z.enum(["CURRENT", "STALE", "SUPERSEDED"]),
    decision: z.enum(["APPROVED", "REJECTED"]),
    approver: z.object({ id: z.uuid().nullable(), name: z.string(), title: z.string(), capacity: z.string() }).describe("The signer's printed name and title, and the role they signed in."),
    comment: z.string(),
    reason: z.string().nullable(),
    digest: z.string().describe("SHA-256 of the canonical state of every item the slot covered when signed."),
    openItems: z.int().min(0),
    signedAt: isoInstant,
    staleAt: isoInstant.nullable(),
    meaning: z.string().nullable().describe("What the signature means, in the words the signer was shown."),
    reauth: z.object({ method: z.string(), at: isoInstant.nullable(), basis: z.string().nullable() }).nullable(),
  })
  .meta({ id: "Signoff" });

const scopeChange = z.object({ itemId: z.uuid(), title: z.string(), fields: z.array(z.string()) });

export const apiSignoffsSchema = z
  .object({
    requiredSlots: z.array(z.enum(slots)),
    gate: z.object({ open: z.boolean(), reasons: z.array(z.object({ code: z.string(), message: z.string() })) }),
    liveAt: isoInstant.nullable(),
    slots: z.array(
      z.object({
        slot: z.enum(slots),
        digest: z.string().describe("The digest of the slot's scope now: what a signature would cover."),
        staleCause: z.string().nullable(),
        changesSinceLatest: z
          .object({ added: z.array(scopeChange), removed: z.array(scopeChange), changed: z.array(scopeChange) })
          .nullable()
          .describe("What changed in the scope since the latest round was signed (null: nothing, or never signed)."),
        rounds: z.array(apiSignoffSchema).describe("Every round, oldest first, superseded ones included."),
      }),
    ),
  })
  .meta({ id: "Signoffs" });

export const apiHistoryPageSchema = z
  .object({
    events: z.array(
      z.object({
        id: z.string(),
        seq: z.string(),
        hash: z.string(),
        occurredAt: isoInstant,
        actorId: z.string().nullable(),
        actorName: z.string().nullable(),
        actorEmail: z.string().nullable(),
        action: z.string(),
        entityType: z.string(),
        entityId: z.string().nullable(),
        before: z.unknown().describe("A bounded excerpt of the recorded state before (the whole event is in the export)."),
        after: z.unknown(),
        changed: z.array(z.string()),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: "HistoryPage" });

export const apiTemplateSummarySchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    builtIn: z.boolean(),
    latestVersion: z.int().min(1),
    latestVersionId: z.uuid(),
    itemCount: z.int().min(0),
    projectCount: z.int().min(0),
  })
  .meta({ id: "TemplateSummary" });

export const apiTemplateListSchema = z.object({ templates: z.array(apiTemplateSummarySchema) }).meta({ id: "TemplateList" });

export const apiTemplateItemSchema: z.ZodType<{ key: string | null; title: string; details: string; area: (typeof areas)[number]; required: boolean; children: unknown[] }> = z
  .object({
    key: z.string().nullable().describe("The item's stable key across versions (what an upgrade matches on)."),
    title: z.string(),
    details: z.string(),
    area: z.enum(areas),
    required: z.boolean(),
    get children() {
      return z.array(apiTemplateItemSchema);
    },
  })
  .meta({ id: "TemplateItem" });

export const apiTemplateVersionSchema = z
  .object({
    template: z.object({ id: z.uuid(), slug: z.string(), name: z.string() }),
    id: z.uuid(),
    version: z.int().min(1),
    itemCount: z.int().min(0),
    createdAt: isoInstant,
    latest: z.boolean(),
    sections: z.array(z.object({ title: z.string(), items: z.array(apiTemplateItemSchema) })),
  })
  .meta({ id: "TemplateVersion" });

export const apiTemplateDetailSchema = apiTemplateSummarySchema
  .extend({ versions: z.array(z.object({ id: z.uuid(), version: z.int().min(1), itemCount: z.int().min(0), createdAt: isoInstant })) })
  .meta({ id: "TemplateDetail" });

export const templateVersionBodySchema = z.object({
  expectedVersion: z.int().min(1).describe("The latest version you saw: someone else's newer version makes this 409."),
  markdown: z.string().min(1).describe("The whole checklist as Markdown."),
});

export const apiTemplateVersionCreatedSchema = z.object({ version: z.int().min(1) }).meta({ id: "TemplateVersionCreated" });

const projectRoleValues = ["LEAD", "DEVOPS", "DBA", "SECURITY", "APPROVER", "VIEWER"] as const;

export const apiProjectMemberSchema = z
  .object({
    userId: z.uuid(),
    name: z.string(),
    email: z.string(),
    title: z.string(),
    roles: z.array(z.enum(projectRoleValues)).describe("Every role they hold here: their own and their team's."),
    memberRoles: z.array(z.enum(projectRoleValues)).describe("The roles of their own membership (empty: they come through the owning team only)."),
    teamRoles: z.array(z.enum(projectRoleValues)).describe("The roles they hold as members of the team that owns the project."),
    selfGrantedRoles: z.array(z.enum(projectRoleValues)).describe("Signing roles the member granted themselves: they cannot sign with them."),
    disabled: z.boolean(),
    updatedAt: isoInstant,
  })
  .meta({ id: "ProjectMember" });

export const apiProjectSchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    targetGoLive: isoDay.nullable(),
    liveAt: isoInstant.nullable().describe("When a lead marked it live; null before."),
    members: z.array(apiProjectMemberSchema),
    myRoles: z.array(z.enum(projectRoleValues)).describe("Your roles on the project, your own and your team's (empty for admins and auditors who are not members)."),
    team: z.object({ id: z.uuid(), slug: z.string(), name: z.string() }).nullable().describe("The team that owns the project: its members hold their team roles here."),
  })
  .meta({ id: "Project" });

export const apiProjectListSchema = z.object({ projects: z.array(apiProjectSchema) }).meta({ id: "ProjectList" });

export const apiGateReasonSchema = z
  .object({
    code: z.enum(["ITEM_OPEN", "WAIVER_EXPIRED", "WAIVER_PENDING", "SIGNOFF_MISSING", "SIGNOFF_STALE", "SIGNOFF_REJECTED"]),
    message: z.string(),
    itemId: z.uuid().optional().describe("The item that holds up go-live (item reasons)."),
    slot: z.enum(slots).optional().describe("The sign-off slot that holds up go-live (sign-off reasons)."),
  })
  .meta({ id: "GateReason" });

export const apiGateSchema = z
  .object({
    open: z.boolean().describe("Whether the project may go live now."),
    reasons: z.array(apiGateReasonSchema).describe("Why not, one entry per item or slot in the way; empty when open."),
    signoffs: z.array(apiSignoffSchema).describe("The latest round of each slot."),
    project: z.object({ slug: z.string(), name: z.string() }),
    liveAt: isoInstant.nullable(),
    checkedAt: isoInstant,
  })
  .meta({ id: "Gate" });

export const apiUnreadSchema = z.object({ unread: z.int().min(0) }).meta({ id: "UnreadCount" });

export const apiNotificationPageSchema = z
  .object({
    notifications: z.array(
      z.object({
        id: z.uuid(),
        kind: z.string(),
        title: z.string(),
        body: z.string(),
        link: z.string().describe("Where it leads, as a path of this site."),
        actorName: z.string().nullable(),
        createdAt: isoInstant,
        read: z.boolean(),
      }),
    ),
    unread: z.int().min(0),
    nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last."),
  })
  .meta({ id: "NotificationPage" });

export const apiProjectCreatedSchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    imported: z.object({ items: z.int(), sections: z.int(), checked: z.int() }).nullable(),
  })
  .meta({ id: "ProjectCreated" });

export const apiImportSummarySchema = z
  .object({
    sections: z.int().min(0),
    items: z.int().min(0),
    checked: z.int().min(0).describe("Items the file marked done ([x])."),
    maxDepth: z.int().min(0),
    droppedAssignees: z.int().min(0).optional().describe("A Shipshape export only: assignees the file names who are not members here (left unassigned)."),
    droppedRiskOwners: z.int().min(0).optional(),
  })
  .meta({ id: "ImportSummary" });

export const apiCheckpointSchema = z
  .object({
    seq: z.int().min(1),
    hash: z.string(),
    occurredAt: isoInstant,
    exportedAt: isoInstant,
    signature: z.string().describe("HMAC-SHA256 over the canonical JSON of the other four fields, by a key derived from AUTH_SECRET."),
  })
  .meta({ id: "Checkpoint" });

export const apiVerifyReportSchema = z
  .object({
    ok: z.boolean(),
    checked: z.int().min(0).describe("Events proven intact, in order: only those up to the last anchor (checkpoint, chain head) that agreed."),
    withheld: z.int().min(0).optional(),
    lastSeq: z.int().min(0),
    lastHash: z.string(),
    lastOccurredAt: isoInstant.nullable(),
    firstBroken: z.object({ seq: z.int(), id: z.string().nullable(), reason: z.string(), message: z.string() }).optional(),
    head: z.object({ seq: z.int(), hash: z.string() }).nullable(),
    checkpoint: z.object({ seq: z.int(), hash: z.string(), signature: z.enum(["valid", "unchecked"]) }).optional(),
  })
  .meta({ id: "VerifyReport" });
