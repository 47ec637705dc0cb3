import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Area, ProjectRole, SignoffSlot } from "@/lib/generated/prisma/enums";
import { db } from "@/lib/db";
import { exportHistory } from "@/lib/audit/export";
import { decisionPackageMarkdown, getDecisionPackage } from "@/lib/audit/decision-package";
import { currentIntegrity } from "@/lib/audit/integrity";
import { acceptWaiver, importChecklist, updateItem } from "@/lib/checklists/mutations";
import type { Actor } from "@/lib/policy";
import { addMember, createProject } from "@/lib/projects/mutations";
import { getGateForProject } from "@/lib/signoffs/data";
import { markProjectLive } from "@/lib/signoffs/mutations";
import { recordItemResult } from "@/lib/checklists/results";
import { verifyExport } from "../../scripts/verify-audit-export";
import { actorFor, ctx, isoDay, makeActor, makeUser, sign, type TestUser } from "./factories";

// Each of the five real checklists (../shared/seeds), taken from import to LIVE through the
// services, as the people of a review would: the lead imports the file, every item is worked by
// the owner of its area (evidence for what is done, a reason for what does not apply, one waiver
// requested by its owner and accepted by the approver), the approver signs every slot, the gate
// opens, the lead marks the project live, and the decision package and the project's exported
// history (verified offline, as an auditor would) hold what happened.

const seedsDir = path.resolve(process.cwd(), "../shared/seeds");
const seeds = [
  { file: "000_dafddfabcb8469d7.txt", items: 57 },
  { file: "001_c499410096c58fa3.txt", items: 63 },
  { file: "002_a2e8625e54311e02.txt", items: 69 },
  { file: "003_330e4c899006af03.txt", items: 112 },
  { file: "004_8944ec2c533102e2.txt", items: 148 },
];

const slots: SignoffSlot[] = ["DEVOPS", "DBA", "SECURITY", "GO_LIVE"];

type People = { lead: Actor; approver: Actor; approverUser: TestUser; owners: Record<Exclude<Area, "GENERAL">, { actor: Actor; user: TestUser }> };

async function reviewTeam(file: string) {
  const { actor: admin } = await makeActor(["ADMIN"]);
  const leadUser = await makeUser({ name: `Lena Lead ${randomUUID().slice(0, 4)}` });
  const name = `Seed ${file.slice(0, 3)} go-live`;
  const created = await createProject(ctx(admin), { name, slug: `seed-live-${randomUUID()}`, leadUserId: leadUser.id });
  const project = { ...created, name };
  const member = async (name: string, roles: ProjectRole[]) => {
    const user = await makeUser({ name: `${name} ${randomUUID().slice(0, 4)}` });
    await addMember(ctx(admin), { projectId: project.id, userId: user.id, roles });
    return { user, actor: await actorFor(user) };
  };
  const owners = { DEVOPS: await member("Dev Ops", ["DEVOPS"]), DBA: await member("Dee Bea", ["DBA"]), SECURITY: await member("Sec Urity", ["SECURITY"]) };
  const approver = await member("Avery Approver", ["APPROVER"]);
  const people: People = { lead: await actorFor(leadUser), approver: approver.actor, approverUser: approver.user, owners };
  return { project, people };
}

/** Who works an item of this area: its owner, or the lead for general items. */
function workerFor(people: People, area: Area): Actor {
  return area === "GENERAL" ? people.lead : people.owners[area].actor;
}

describe.each(seeds)("seeds/$file from import to live", ({ file, items: expectedItems }) => {
  it("imports, is worked by area owners, signed by the approver, marked live by the lead, with a verifiable record", async () => {
    const { project, people } = await reviewTeam(file);
    const summary = await importChecklist(ctx(people.lead), { projectId: project.id, markdown: readFileSync(path.join(seedsDir, file)), source: file });
    expect(summary).toMatchObject({ items: expectedItems });

    const before = await getGateForProject(project.id);
    expect(before.open).toBe(false);

    const rows = await db.checklistItem.findMany({ where: { projectId: project.id }, orderBy: [{ sectionId: "asc" }, { position: "asc" }], select: { id: true, area: true, status: true, version: true, title: true } });
    expect(rows).toHaveLength(expectedItems);
    const worked = { DONE: 0, NOT_APPLICABLE: 0, WAIVED: 0 };
    let waived: { id: string; version: number } | null = null;
    for (const [index, item] of rows.entries()) {
      const worker = workerFor(people, item.area);
      if (item.status === "DONE") {
        // Checked in the file: the owner adds the evidence the file never had.
        await updateItem(ctx(worker), { itemId: item.id, expectedVersion: item.version, note: `Checked again for go-live: ${item.title.slice(0, 60)}` });
        worked.DONE += 1;
      } else if (!waived && item.area !== "GENERAL") {
        const owner = people.owners[item.area];
        const saved = await updateItem(ctx(owner.actor), {
          itemId: item.id,
          expectedVersion: item.version,
          status: "WAIVED",
          statusReason: "Accepted for the first release; scheduled for the next quarter.",
          waiverRiskOwnerId: owner.user.id,
          waiverControls: "Alerting on the symptom, runbook linked.",
          waiverExpiresAt: isoDay(60),
        });
        waived = { id: item.id, version: saved.version };
        worked.WAIVED += 1;
      } else if (index % 9 === 4) {
        await updateItem(ctx(worker), { itemId: item.id, expectedVersion: item.version, status: "NOT_APPLICABLE", statusReason: "Not part of this deployment." });
        worked.NOT_APPLICABLE += 1;
      } else {
        await updateItem(ctx(worker), { itemId: item.id, expectedVersion: item.version, status: "DONE", link: `https://ci.example.test/${file}/${index}`, note: "Verified in staging." });
        worked.DONE += 1;
      }
    }
    expect(waived).not.toBeNull();
    // A waiver request does not count until someone else accepts it.
    expect((await getGateForProject(project.id)).reasons.map((reason) => reason.code)).toContain("WAIVER_PENDING");
    await acceptWaiver(ctx(people.approver), { itemId: waived!.id, expectedVersion: waived!.version });

    // A done item proved again by a result its owner records: it stays done, and goes into the package.
    const proved = await db.checklistItem.findFirstOrThrow({ where: { projectId: project.id, status: "DONE", area: { not: "GENERAL" } }, orderBy: { position: "asc" } });
    await recordItemResult(ctx(people.owners[proved.area as Exclude<typeof proved.area, "GENERAL">].actor), { itemId: proved.id, status: "pass", summary: "Drill re-run passed." });

    for (const slot of slots) await sign(people.approver, project.id, slot);
    const gate = await getGateForProject(project.id);
    expect(gate.reasons).toEqual([]);
    expect(gate.open).toBe(true);

    const { goLiveId } = await markProjectLive(ctx(people.lead), { projectId: project.id });
    expect((await db.project.findUniqueOrThrow({ where: { id: project.id } })).liveAt).not.toBeNull();

    // The decision package names the approver on every slot and holds every item as it went live.
    const integrity = await currentIntegrity();
    const pkg = await getDecisionPackage(people.lead, project.slug, goLiveId, integrity, "UTC");
    const markdown = decisionPackageMarkdown(pkg);
    expect(markdown).toContain(`# Go-live decision: ${project.name}`);
    for (const slot of ["DevOps", "DBA", "Security", "Go-live"]) expect(markdown).toContain(`${slot} round 1: approved by ${people.approverUser.name}`);
    expect(markdown).toMatch(new RegExp(`- \\[x\\] ${proved.title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(.*latest result: passed .*\\(Drill re-run passed\\., by `));
    const doneLines = markdown.split("\n").filter((line) => /^\s*- \[x\] /.test(line)).length;
    expect(doneLines).toBeGreaterThanOrEqual(worked.DONE);

    // The project's history, downloaded and verified offline with no flags, is an intact stretch of the chain.
    const dir = await mkdtemp(path.join(tmpdir(), "seed-live-"));
    try {
      const exported = path.join(dir, "history.jsonl");
      await writeFile(exported, await new Response((await exportHistory(people.lead, { format: "jsonl", project: project.slug }, "UTC")).body).text());
      const report = await verifyExport({ file: exported, checkpoint: null, partial: false, json: false });
      expect(report).toMatchObject({ ok: true });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(worked.NOT_APPLICABLE).toBeGreaterThan(0);
  });
});
