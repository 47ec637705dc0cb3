import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { makeProject, makeUser } from "./factories";

// `npm run cli -- import FILE --project SLUG --as EMAIL`, run as a real process against the test database.

const dir = mkdtempSync(path.join(tmpdir(), "shipshape-cli-"));
function file(name: string, text: string): string {
  const target = path.join(dir, name);
  writeFileSync(target, text);
  return target;
}

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [path.join("node_modules", "tsx", "dist", "cli.mjs"), "scripts/cli.ts", ...args], {
    env: { ...process.env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

describe("cli import into a project", () => {
  it("imports as a lead, through the service, with an audit event naming the CLI request", async () => {
    const lead = await makeUser();
    const project = await makeProject([{ user: lead, roles: ["LEAD"] }]);
    const result = cli("import", file("ok.md", "# Go-live\n\n## Database\n- [ ] Backups\n  - [x] Restore drill\n"), "--project", project.slug, "--as", lead.email, "--json");
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ project: project.slug, sections: 1, items: 2, checked: 1, maxDepth: 2 });
    expect(await db.checklistItem.count({ where: { projectId: project.id } })).toBe(2);
    const event = await db.auditEvent.findFirstOrThrow({ where: { projectId: project.id, action: "checklist.imported" } });
    expect(event.actorId).toBe(lead.id);
    expect(event.requestId).toMatch(/^cli-/);
  });

  it("is refused for a viewer (exit 1, before the file is read) and for a file without items (exit 2), writing nothing", async () => {
    const [viewer, lead] = [await makeUser(), await makeUser()];
    const project = await makeProject([
      { user: viewer, roles: ["VIEWER"] },
      { user: lead, roles: ["LEAD"] },
    ]);
    const refused = cli("import", file("ok2.md", "- [ ] One\n"), "--project", project.slug, "--as", viewer.email);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("error: You are not allowed to do that.");
    // Permission is decided before the file is parsed (parsing costs a worker's time).
    const refusedEmpty = cli("import", file("empty.md", "# Nothing to do\n"), "--project", project.slug, "--as", viewer.email);
    expect(refusedEmpty.status).toBe(1);

    const empty = cli("import", file("empty.md", "# Nothing to do\n"), "--project", project.slug, "--as", lead.email);
    expect(empty.status).toBe(2);
    expect(empty.stderr.split("\n")).toHaveLength(1);
    expect(empty.stderr).toMatch(/^error: .*No task items found/);
    expect(await db.checklistItem.count({ where: { projectId: project.id } })).toBe(0);
  });

  it("does not reveal a project the user cannot see", async () => {
    const outsider = await makeUser();
    const project = await makeProject([]);
    const result = cli("import", file("ok3.md", "- [ ] One\n"), "--project", project.slug, "--as", outsider.email);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("error: Project not found.");
  });
});
