import { z } from "zod";
import { historyFilterSchema } from "@/lib/audit/history";
import {
  addCommentBodySchema,
  addEvidenceBodySchema,
  apiAssignedSchema,
  apiCommentAddedSchema,
  apiErrorSchema,
  apiEvidenceAddedSchema,
  apiHistoryPageSchema,
  apiItemDetailSchema,
  apiItemSavedSchema,
  apiItemsPageSchema,
  apiSignoffsSchema,
  apiTemplateDetailSchema,
  apiTemplateListSchema,
  apiTemplateVersionCreatedSchema,
  apiTemplateVersionSchema,
  apiVersionSchema,
  assignmentsBodySchema,
  templateVersionBodySchema,
  itemsQuerySchema,
  patchItemBodySchema,
  apiResultRecordedSchema,
  resultBodySchema,
  apiGateSchema,
  apiNotificationPageSchema,
  apiProjectCreatedSchema,
  apiProjectListSchema,
  apiProjectSchema,
  apiUnreadSchema,
  apiCheckpointSchema,
  apiImportSummarySchema,
  apiVerifyReportSchema,
} from "@/lib/rest/schemas";
import { markReadSchema } from "@/lib/notifications/schema";
import { addMemberSchema, createProjectSchema } from "@/lib/projects/schema";

// The OpenAPI 3.1 document of /api/v1, served at GET /api/v1/openapi.json. Request and answer
// bodies come from the zod schemas the handlers use (lib/rest/schemas.ts); a unit test holds the
// list of operations below to the route files under app/api/v1, so a route cannot go undocumented.

type Auth = "session" | "read" | "gate" | "public" | "items:read" | "items:write" | "results:write";

export type Operation = {
  method: "get" | "post" | "patch" | "delete";
  path: string;
  summary: string;
  tag: string;
  /** session: the signed-in session (and same-origin requests for changes); read: also a read-only token; gate: also a project's gate token. */
  auth: Auth;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The request body's media type when not JSON. */
  bodyType?: string;
  response?: z.ZodType;
  /** A request body that works, shown in the reference and pre-filled by its "Try it". */
  example?: unknown;
  /** Answers other than JSON (besides `response`, when there is one): their media types. */
  produces?: string[];
  status?: 200 | 201 | 204;
};

const exportQuery = z.object({ format: z.enum(["md", "csv", "json"]).default("md") });
const auditExportQuery = z.object({
  format: z.enum(["csv", "jsonl"]),
  project: z.string().optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});

export const operations: Operation[] = [
  { method: "get", path: "/api/v1/projects", summary: "The projects you may see", tag: "Projects", auth: "read", response: apiProjectListSchema },
  {
    method: "post",
    path: "/api/v1/projects",
    summary: "Create a project (optionally from a template version)",
    tag: "Projects",
    auth: "session",
    body: createProjectSchema,
    response: apiProjectCreatedSchema,
    status: 201,
    example: { name: "Payments API", targetGoLive: "2027-03-01" },
  },
  { method: "get", path: "/api/v1/projects/{slug}", summary: "One project with its members and your roles", tag: "Projects", auth: "read", response: apiProjectSchema },
  {
    method: "post",
    path: "/api/v1/projects/{slug}/members",
    summary: "Add a member with roles",
    tag: "Projects",
    auth: "session",
    body: addMemberSchema.omit({ projectId: true }),
    response: z.object({ ok: z.literal(true) }),
    status: 201,
    example: { userId: "00000000-0000-4000-8000-000000000000", roles: ["DBA"] },
  },
  { method: "delete", path: "/api/v1/projects/{slug}/members/{userId}", summary: "Remove a member", tag: "Projects", auth: "session", status: 204 },
  {
    method: "post",
    path: "/api/v1/projects/{slug}/import",
    summary: "Import a Markdown checklist into the project",
    tag: "Checklist",
    auth: "session",
    bodyType: "text/markdown",
    response: apiImportSummarySchema,
    status: 201,
    example: "## Database\n\n- [ ] Backups restored in a drill\n- [x] Connection pool sized\n",
  },
  { method: "get", path: "/api/v1/projects/{slug}/export", summary: "The checklist as Markdown, CSV or JSON", tag: "Checklist", auth: "read", query: exportQuery, produces: ["text/markdown", "text/csv", "application/json"] },
  { method: "get", path: "/api/v1/projects/{slug}/items", summary: "The project's items in checklist order, filtered, a page at a time", tag: "Items", auth: "items:read", query: itemsQuerySchema, response: apiItemsPageSchema },
  {
    method: "post",
    path: "/api/v1/projects/{slug}/assignments",
    summary: "Assign one or many items and/or set due dates, all or nothing",
    tag: "Items",
    auth: "session",
    body: assignmentsBodySchema,
    response: apiAssignedSchema,
    example: { items: [{ itemId: "00000000-0000-4000-8000-000000000000", expectedVersion: 1 }], assigneeId: "keep", dueDate: "2027-02-15", timeZone: "Europe/Berlin" },
  },
  { method: "get", path: "/api/v1/items/{id}", summary: "One item with its evidence, comments and latest results", tag: "Items", auth: "items:read", response: apiItemDetailSchema },
  {
    method: "patch",
    path: "/api/v1/items/{id}",
    summary: "Change an item on the version you saw (409 with `current` otherwise)",
    tag: "Items",
    auth: "items:write",
    body: patchItemBodySchema,
    response: apiItemSavedSchema,
    example: { expectedVersion: 1, status: "DONE", link: "https://ci.example.com/builds/4512", note: "Restore drill passed." },
  },
  {
    method: "post",
    path: "/api/v1/items/{id}/evidence",
    summary: "Add a link or a note as evidence",
    tag: "Items",
    auth: "items:write",
    body: addEvidenceBodySchema,
    response: apiEvidenceAddedSchema,
    status: 201,
    example: { expectedVersion: 1, kind: "LINK", url: "https://ci.example.com/builds/4512", note: "Restore drill passed." },
  },
  {
    method: "delete",
    path: "/api/v1/items/{id}/evidence/{evidenceId}",
    summary: "Remove evidence, on the item's version you saw",
    tag: "Items",
    auth: "items:write",
    query: z.object({ expectedVersion: z.int().min(1) }),
    response: apiVersionSchema,
  },
  { method: "post", path: "/api/v1/items/{id}/comments", summary: "Comment on an item", tag: "Items", auth: "items:write", body: addCommentBodySchema, response: apiCommentAddedSchema, status: 201, example: { body: "Build 4512 restored last night's snapshot in 7 minutes." } },
  {
    method: "post",
    path: "/api/v1/projects/{slug}/items/{id}/results",
    summary: "Record a result (pass or fail) for an item: a failure reopens a done item, a pass with markDone closes an open one",
    tag: "Items",
    auth: "results:write",
    body: resultBodySchema,
    response: apiResultRecordedSchema,
    status: 201,
    example: { status: "pass", summary: "Restored the nightly snapshot in 7 min.", url: "https://ci.example.com/builds/4512", facts: { minutes: 7, rows: 1204332 }, markDone: true },
  },
  { method: "get", path: "/api/v1/projects/{slug}/signoffs", summary: "Every required slot with every round, digests and what changed since", tag: "Sign-offs", auth: "items:read", response: apiSignoffsSchema },
  {
    method: "get",
    path: "/api/v1/projects/{slug}/gate",
    summary: "Whether the project may go live, and why not",
    tag: "Sign-offs",
    auth: "gate",
    query: z.object({ format: z.enum(["json", "text"]).optional().describe("`text`: the state alone on the first line (OPEN or CLOSED), then one reason per line.") }),
    response: apiGateSchema,
    produces: ["text/plain"],
  },
  { method: "get", path: "/api/v1/projects/{slug}/go-live/{id}/package", summary: "The go-live decision package", tag: "Sign-offs", auth: "read", query: z.object({ format: z.enum(["pdf", "md"]).default("pdf") }), produces: ["application/pdf", "text/markdown"] },
  {
    method: "get",
    path: "/api/v1/projects/{slug}/history",
    summary: "The project's history, newest first; pass `nextCursor` as `before` for the next page",
    tag: "History",
    auth: "items:read",
    query: historyFilterSchema.omit({ project: true }),
    response: apiHistoryPageSchema,
  },
  { method: "get", path: "/api/v1/audit/export", summary: "The audit trail as CSV or JSON Lines (auditors and admins; a lead for their project)", tag: "History", auth: "read", query: auditExportQuery, produces: ["text/csv", "application/x-ndjson"] },
  {
    method: "get",
    path: "/api/v1/audit/verify",
    summary: "Verify the whole audit chain",
    tag: "History",
    auth: "read",
    query: z.object({ checkpoint: z.string().optional().describe("A checkpoint's JSON, URL-encoded: the chain must still pass through it.") }),
    response: apiVerifyReportSchema,
  },
  { method: "post", path: "/api/v1/audit/verify", summary: "Verify the whole audit chain through a signed checkpoint", tag: "History", auth: "read", body: apiCheckpointSchema, response: apiVerifyReportSchema },
  { method: "get", path: "/api/v1/audit/checkpoint", summary: "A signed checkpoint of the audit chain (admins)", tag: "History", auth: "read", response: apiCheckpointSchema },
  { method: "get", path: "/api/v1/templates", summary: "The template library", tag: "Templates", auth: "read", response: apiTemplateListSchema },
  { method: "get", path: "/api/v1/templates/{slug}", summary: "A template with its versions", tag: "Templates", auth: "read", response: apiTemplateDetailSchema },
  {
    method: "get",
    path: "/api/v1/templates/{slug}/versions/{id}",
    summary: "One version of a template, as JSON or as Markdown",
    tag: "Templates",
    auth: "read",
    query: z.object({ format: z.enum(["json", "md"]).default("json") }),
    response: apiTemplateVersionSchema,
    produces: ["text/markdown"],
  },
  {
    method: "post",
    path: "/api/v1/templates/{slug}/versions",
    summary: "Publish a new version from Markdown (the template's owner or an admin)",
    tag: "Templates",
    auth: "session",
    body: templateVersionBodySchema,
    response: apiTemplateVersionCreatedSchema,
    status: 201,
    example: { expectedVersion: 1, markdown: "## Database\n\n- [ ] Backups restored in a drill\n" },
  },
  {
    method: "get",
    path: "/api/v1/notifications",
    summary: "Your notifications, newest first",
    tag: "Notifications",
    auth: "session",
    query: z.object({ cursor: z.string().optional().describe("`nextCursor` of the previous page."), unread: z.enum(["true", "false"]).optional().describe("`true`: unread ones only.") }),
    response: apiNotificationPageSchema,
  },
  { method: "post", path: "/api/v1/notifications", summary: "Mark notifications read", tag: "Notifications", auth: "session", body: markReadSchema, response: z.object({ marked: z.int().min(0) }), example: { ids: "all" } },
  { method: "get", path: "/api/v1/notifications/unread", summary: "How many notifications are unread", tag: "Notifications", auth: "session", response: apiUnreadSchema },
  { method: "get", path: "/api/v1/gate.sh", summary: "The dependency-free pipeline step (POSIX sh + curl)", tag: "Sign-offs", auth: "public", produces: ["text/x-shellscript"] },
  { method: "get", path: "/api/v1/openapi.json", summary: "This document", tag: "Meta", auth: "public", response: z.record(z.string(), z.unknown()).describe("An OpenAPI 3.1 document.") },
];

const authWords: Record<Auth, string> = {
  session: "A signed-in session (cookie). Changes must come from the site's own origin.",
  read: "A signed-in session, or a read-only API token (auditors and admins) as `Authorization: Bearer ssp_…`.",
  gate: "A signed-in session, or a token of the project with `gate:read` as `Authorization: Bearer ssp_…`.",
  "items:read": "A signed-in session, a read-only API token (auditors and admins), or a token of the project with `items:read` (or `items:write`) as `Authorization: Bearer ssp_…`.",
  "items:write": "A signed-in session (changes from the site's own origin), or a token of the project with `items:write`, which acts as itself on its project (named in the history).",
  "results:write": "A signed-in session that may work the item (changes from the site's own origin), or a token of the project with `results:write`, which records as itself (named in the history).",
  public: "No authentication.",
};

const errorStatuses: Record<string, string> = {
  "401": "Not signed in, or the token is missing, unknown or revoked.",
  "403": "Not allowed.",
  "404": "Not found, or not visible to you.",
  "409": "Conflict: the record changed since you read it (`data.current` holds it now, where there is one).",
  "422": "Bad input: `fieldErrors` names each field.",
  "429": "Too many requests: see Retry-After.",
  "503": "The database or the instance is busy: see Retry-After.",
};

/** One schema as JSON Schema; schemas with an id that it contains refer to components instead of being repeated. */
function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _dialect, $defs: _defs, ...converted } = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as Record<string, unknown>;
  return JSON.parse(JSON.stringify(converted).replaceAll('"#/$defs/', '"#/components/schemas/')) as Record<string, unknown>;
}

/** Each top-level field of a query schema as an OpenAPI query parameter. */
function queryParameters(schema: z.ZodObject) {
  return Object.entries(schema.shape).map(([name, field]) => {
    const fieldSchema = field as z.ZodType;
    const described = jsonSchemaOf(fieldSchema, "input");
    return { name, in: "query", required: !fieldSchema.safeParse(undefined).success, schema: described, ...(typeof described.description === "string" ? { description: described.description } : {}) };
  });
}

const idempotencyKeyParameter = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  schema: { type: "string", minLength: 1, maxLength: 200 },
  description: "Makes a retry safe: the same key and body get the first answer again (with `Idempotent-Replayed: true`); the same key with another body is 422. Kept for a day.",
};

const pathParameters = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((match) => ({ name: match[1], in: "path", required: true, schema: { type: "string" } }));

/** Refers to a registered schema by its id, or inlines an unregistered one. */
function schemaRef(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const id = z.globalRegistry.get(schema)?.id;
  if (id) return { $ref: `#/components/schemas/${id}` };
  return jsonSchemaOf(schema, io);
}

/** Every schema with an id, once, under components (answers as the API writes them). */
function components(): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, { target: "draft-2020-12", io: "output", unrepresentable: "any", uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _dialect, $id: _id, id: _ownId, ...rest } = schema as Record<string, unknown>;
      return [id, rest];
    }),
  );
}

export function openApiDocument(serverUrl?: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    const status = String(operation.status ?? 200);
    const json = operation.response ? { "application/json": { schema: schemaRef(operation.response, "output") } } : {};
    const success = operation.produces
      ? { description: "OK", content: { ...json, ...Object.fromEntries(operation.produces.map((type) => [type, {}])) } }
      : status === "204"
        ? { description: "Done; no content." }
        : { description: "OK", content: { "application/json": { schema: operation.response ? schemaRef(operation.response, "output") : {} } } };
    const errors = Object.fromEntries(
      Object.entries(errorStatuses)
        .filter(([code]) => operation.auth !== "public" || code === "503")
        .map(([code, description]) => [code, { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }]),
    );
    const parameters = [...pathParameters(operation.path), ...(operation.query ? queryParameters(operation.query) : []), ...(operation.method === "post" ? [idempotencyKeyParameter] : [])];
    const example = operation.example === undefined ? {} : { example: operation.example };
    (paths[operation.path] ??= {})[operation.method] = {
      operationId: `${operation.method}${operation.path.replace(/^\/api\/v1/, "").replace(/\{(\w+)\}/g, "By-$1").replace(/[^A-Za-z0-9]+(.)?/g, (_m, next: string | undefined) => (next ? next.toUpperCase() : ""))}`,
      summary: operation.summary,
      tags: [operation.tag],
      description: authWords[operation.auth],
      ...(operation.auth === "public" ? { security: [] } : operation.auth === "session" ? { security: [{ session: [] }] } : { security: [{ session: [] }, { token: [] }] }),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(operation.body
        ? { requestBody: { required: true, content: { "application/json": { schema: schemaRef(operation.body, "input"), ...example } } } }
        : operation.bodyType
          ? { requestBody: { required: true, content: { [operation.bodyType]: { schema: { type: "string" }, ...example } } } }
          : {}),
      responses: { [status]: success, ...errors },
    };
  }
  void apiErrorSchema; // registered as "Error" by its module
  return {
    openapi: "3.1.0",
    info: {
      title: "Shipshape API",
      version: "1",
      description: "Production-readiness reviews: checklists, evidence, sign-offs and the go-live gate. Errors are `{\"error\": {\"code\", \"message\", \"fieldErrors\"?, \"data\"?}}`.",
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: {
      schemas: components(),
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "__Host-shipshape.session", description: "The signed-in session (`shipshape.session` on plain http://localhost)." },
        token: { type: "http", scheme: "bearer", description: "An API token (`ssp_…`): a project's gate token, or an auditor's or admin's read-only token." },
      },
    },
  };
}
