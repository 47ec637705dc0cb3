import { randomUUID } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "@/lib/db";
import { auditActions, type AuditAction } from "@/lib/audit/events";
import { recordAuditEvent } from "@/lib/audit/mutations";
import { migrationsDir } from "@/lib/db/schema-engine";
import { createTestDatabase } from "../support/database";

// Memberships made before grants were recorded: the migration that adds the grant columns reads
// who granted each signing role from the member events of the audit trail, so that a lead or
// admin who gave themself APPROVER (or an owner role) before the upgrade is caught like one who
// does it after. This test builds such a database (the migrations before it, then members and
// their events as the services wrote them), applies the migration, and reads the columns.

const folders = readdirSync(migrationsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort((a, b) => a.localeCompare(b));
const grantsMigration = folders.findIndex((folder) => folder.endsWith("_signing_role_grants"));

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: pg.Client;
let client: ReturnType<typeof createPrismaClient>;

async function migrate(selected: string[]) {
  for (const folder of selected) await sql.query(readFileSync(path.join(migrationsDir, folder, "migration.sql"), "utf8"));
}

type Person = { id: string; name: string; email: string };
const person = (name: string): Person => ({ id: randomUUID(), name, email: `${name.toLowerCase()}-${randomUUID()}@shipshape.test` });
const [lead, admin, approver, dba, flipper, leaver, seeded, unrecorded] = ["Lee", "Ada", "Pat", "Dee", "Flo", "Lou", "Sys", "Raw"].map(person) as [Person, Person, Person, Person, Person, Person, Person, Person];
const projectId = randomUUID();
const otherProjectId = randomUUID();

/** A member event as the services write it (roles in before/after, the member as entity). */
async function memberEvent(actor: Person | null, action: AuditAction, member: Person, before: string[] | null, after: string[] | null, project = projectId) {
  const snapshot = (roles: string[] | null) => (roles ? { userId: member.id, name: member.name, email: member.email, roles } : null);
  await client.$transaction((tx) => recordAuditEvent(tx, { actor, action, entityType: "member", entityId: member.id, projectId: project, before: snapshot(before), after: snapshot(after), requestId: "legacy" }));
}

beforeAll(async () => {
  expect(grantsMigration).toBeGreaterThan(0);
  database = await createTestDatabase("role_grants", { migrate: false });
  sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
  client = createPrismaClient(database.url, 2);
  await migrate(folders.slice(0, grantsMigration));
  for (const user of [lead, admin, approver, dba, flipper, leaver, seeded, unrecorded]) {
    await sql.query("INSERT INTO users (id, email, name, updated_at) VALUES ($1, $2, $3, now())", [user.id, user.email, user.name]);
  }
  for (const [id, slug] of [[projectId, "legacy"], [otherProjectId, "elsewhere"]] as const) {
    await sql.query("INSERT INTO projects (id, slug, name, updated_at) VALUES ($1, $2, $3, now())", [id, `${slug}-${randomUUID()}`, slug]);
  }
  const member = (user: Person, roles: string[], project = projectId) =>
    sql.query(`INSERT INTO project_members (id, project_id, user_id, roles, updated_at) VALUES ($1, $2, $3, $4::"ProjectRole"[], now())`, [randomUUID(), project, user.id, roles]);

  // The lead gave themself APPROVER; elsewhere the admin gave it to them.
  await member(lead, ["LEAD", "APPROVER"]);
  await memberEvent(lead, auditActions.MEMBER_ROLES_CHANGED, lead, ["LEAD"], ["LEAD", "APPROVER"]);
  await member(lead, ["LEAD", "APPROVER"], otherProjectId);
  await memberEvent(admin, auditActions.MEMBER_ADDED, lead, null, ["LEAD", "APPROVER"], otherProjectId);
  // The admin added an approver, and then themself as approver.
  await member(approver, ["APPROVER"]);
  await memberEvent(admin, auditActions.MEMBER_ADDED, approver, null, ["APPROVER"]);
  await member(admin, ["APPROVER"]);
  await memberEvent(admin, auditActions.MEMBER_ADDED, admin, null, ["APPROVER"]);
  // Added as a viewer by the lead, then gave themself DBA; a later change of other roles keeps it.
  await member(dba, ["DBA", "VIEWER"]);
  await memberEvent(lead, auditActions.MEMBER_ADDED, dba, null, ["VIEWER"]);
  await memberEvent(dba, auditActions.MEMBER_ROLES_CHANGED, dba, ["VIEWER"], ["DBA"]);
  await memberEvent(lead, auditActions.MEMBER_ROLES_CHANGED, dba, ["DBA"], ["DBA", "VIEWER"]);
  // Gave themself APPROVER, lost it, and got it back from the admin: the admin's grant counts.
  await member(flipper, ["APPROVER"]);
  await memberEvent(flipper, auditActions.MEMBER_ADDED, flipper, null, ["APPROVER"]);
  await memberEvent(lead, auditActions.MEMBER_ROLES_CHANGED, flipper, ["APPROVER"], ["VIEWER"]);
  await memberEvent(admin, auditActions.MEMBER_ROLES_CHANGED, flipper, ["VIEWER"], ["APPROVER"]);
  // Gave themself APPROVER, was removed, and is back by a row no event recorded: unknown, someone else.
  await member(leaver, ["APPROVER"]);
  await memberEvent(leaver, auditActions.MEMBER_ADDED, leaver, null, ["APPROVER"]);
  await memberEvent(lead, auditActions.MEMBER_REMOVED, leaver, ["APPROVER"], null);
  // Demo data (the system as actor), and a row with no event at all.
  await member(seeded, ["APPROVER", "SECURITY"]);
  await memberEvent(null, auditActions.MEMBER_ADDED, seeded, null, ["APPROVER", "SECURITY"]);
  await member(unrecorded, ["APPROVER", "DEVOPS"]);

  await migrate(folders.slice(grantsMigration, grantsMigration + 1));
}, 120_000);

afterAll(async () => {
  await client?.$disconnect();
  await sql?.end();
  await database?.drop();
});

describe("the signing role grants migration on a database that already holds members", () => {
  it("records who granted each signing role held, from the latest member event that gave it", async () => {
    const { rows } = await sql.query<{ project_id: string; user_id: string; approver: string | null; devops: string | null; dba: string | null; security: string | null }>(
      "SELECT project_id::text, user_id::text, approver_granted_by_id::text AS approver, devops_granted_by_id::text AS devops, dba_granted_by_id::text AS dba, security_granted_by_id::text AS security FROM project_members",
    );
    const grantsOf = (user: Person, project = projectId) => {
      const row = rows.find((entry) => entry.user_id === user.id && entry.project_id === project);
      return row && { approver: row.approver, devops: row.devops, dba: row.dba, security: row.security };
    };
    const none = { approver: null, devops: null, dba: null, security: null };

    expect(grantsOf(lead)).toEqual({ ...none, approver: lead.id });
    expect(grantsOf(lead, otherProjectId)).toEqual({ ...none, approver: admin.id });
    expect(grantsOf(approver)).toEqual({ ...none, approver: admin.id });
    expect(grantsOf(admin)).toEqual({ ...none, approver: admin.id });
    expect(grantsOf(dba)).toEqual({ ...none, dba: dba.id });
    expect(grantsOf(flipper)).toEqual({ ...none, approver: admin.id });
    expect(grantsOf(leaver)).toEqual(none);
    expect(grantsOf(seeded)).toEqual(none);
    expect(grantsOf(unrecorded)).toEqual(none);
  });

  it("then refuses a grant recorded without its role", async () => {
    await expect(sql.query("UPDATE project_members SET security_granted_by_id = $1 WHERE user_id = $1", [approver.id])).rejects.toThrow(/project_members_security_grant_needs_role/);
  });
});
