// What a project's API token may do, chosen when it is created. A token acts as a named
// automation member of its one project ("Deploy pipeline (token ssp_abc…)" in the audit trail),
// with only these rights, whatever the person who created it may do:
// - gate:read    the project's go-live gate (what the pipeline step reads);
// - items:read   the project, its items, sign-offs and history;
// - items:write  work items: status, reasons, details, evidence and comments (never the
//                checklist's structure, waivers, assignments, sign-offs or going live);
// - results:write record results (pass or fail) that prove or reopen items (lib/checklists/results.ts).

export const tokenPermissions = ["gate:read", "items:read", "items:write", "results:write"] as const;
export type TokenPermission = (typeof tokenPermissions)[number];

export const tokenPermissionWords: Record<TokenPermission, string> = {
  "gate:read": "read the go-live gate",
  "items:read": "read items, sign-offs and history",
  "items:write": "work items: status, evidence, comments",
  "results:write": "record results that prove or reopen items",
};

/** The permissions stored on a token, known ones only (a value this version does not know grants nothing). */
export function knownPermissions(values: readonly string[] | null | undefined): TokenPermission[] {
  return tokenPermissions.filter((permission) => values?.includes(permission));
}

/** Whether a token's permissions cover what a route needs (working items includes reading them). */
export function permits(permissions: readonly TokenPermission[], needed: TokenPermission): boolean {
  return permissions.includes(needed) || (needed === "items:read" && (permissions.includes("items:write") || permissions.includes("results:write")));
}
