import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { decisionPackageMarkdown, decisionPackagePdf, getDecisionPackage, pdfSafe } from "@/lib/audit/decision-package";
import { exportHistory } from "@/lib/audit/export";
import { currentIntegrity } from "@/lib/audit/integrity";
import { addComment, updateItem } from "@/lib/checklists/mutations";
import { scopeDigest, type SignoffSlot } from "@/lib/signoffs/digest";
import { loadScope } from "@/lib/signoffs/data";
import { markProjectLive, signSlot } from "@/lib/signoffs/mutations";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { verifyExport } from "../../scripts/verify-audit-export";
import { inWords, slotWords } from "@/lib/words";
import { actorFor, ctx, expectAppError, makeItem, makeTeam, makeUser } from "./factories";

// History exports and the go-live decision package against the real database.

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

async function exportText(actor: Parameters<typeof exportHistory>[0], input: Record<string, string>) {
  return readAll((await exportHistory(actor, input, "UTC")).body);
}

/** A project that went live: four areas done with notes, every slot approved, a comment. */
async function liveProject() {
  const team = await makeTeam(["LEAD", "APPROVER", "DBA"]);
  const lead = await team.as("LEAD");
  const items = [];
  for (const area of ["DEVOPS", "DBA", "SECURITY", "GENERAL"] as const) {
    const item = await makeItem(team.project, { area, title: `${area} check → “ready”` });
    await updateItem(ctx(lead), { itemId: item.id, expectedVersion: 1, status: "DONE", note: `${area} done, see the runbook.` });
    items.push(item);
  }
  await addComment(ctx(await team.as("DBA")), { itemId: items[1]!.id, body: "Replica checked too." });
  const approver = await team.as("APPROVER");
  for (const slot of ["DEVOPS", "DBA", "SECURITY", "GO_LIVE"] as SignoffSlot[]) {
    const latest = await db.signoff.findFirst({ where: { projectId: team.project.id, slot }, orderBy: { round: "desc" }, select: { round: true } });
    await signSlot(ctx(approver), { projectId: team.project.id, slot, decision: "APPROVED", confirmOpenItems: true, expectedRound: latest?.round ?? 0, expectedDigest: scopeDigest(await loadScope(db, team.project.id, slot)) });
  }
  const { goLiveId } = await markProjectLive(ctx(lead), { projectId: team.project.id });
  return { team, goLiveId };
}

describe("history export", () => {
  it("streams a project's events as CSV and JSON Lines, one line per event, in order", async () => {
    const { team } = await liveProject();
    const lead = await team.as("LEAD");
    const stored = await db.auditEvent.findMany({ where: { projectId: team.project.id }, orderBy: { seq: "asc" } });
    const jsonl = await exportText(lead, { format: "jsonl", project: team.project.slug });
    const [header, ...events] = jsonl.trimEnd().split("\n");
    expect(JSON.parse(header!)).toMatchObject({ shipshape: "audit-export", version: 1, chain: "stretch", project: team.project.slug });
    const lines = events.map((line) => JSON.parse(line) as { id: string; action?: string; after?: unknown; occurredAt?: string; contentHash?: string }).filter((line) => line.action !== undefined);
    expect(lines.map((line) => line.id)).toEqual(stored.map((event) => event.id.toString()));
    expect(lines.find((line) => line.action === auditActions.COMMENT_ADDED)?.after).toMatchObject({ body: "Replica checked too." });
    expect(lines[0]?.occurredAt).toBe(stored[0]?.occurredAt.toISOString());

    const csv = await exportText(lead, { format: "csv", project: team.project.slug });
    const rows = csv.split("\r\n").filter(Boolean);
    expect(rows[0]).toBe("id,seq,prevHash,hash,occurredAt,actorId,actorName,actorEmail,action,entityType,entityId,projectId,before,after,requestId");
    expect(rows).toHaveLength(stored.length + 1);
  });

  it("is a project's for its members, the whole history for admins and auditors only", async () => {
    const { team } = await liveProject();
    const outsider = await actorFor(await makeUser());
    await expectAppError(exportText(outsider, { format: "csv", project: team.project.slug }), "NOT_FOUND");
    await expectAppError(exportText(await team.as("LEAD"), { format: "csv" }), "FORBIDDEN");
    const auditor = await actorFor(await makeUser({ globalRoles: ["AUDITOR"] }));
    expect((await exportText(auditor, { format: "jsonl" })).split("\n").length).toBeGreaterThan(10);
  });

  it("limits to a date range in the viewer's zone, and refuses a range that ends before it starts", async () => {
    const { team } = await liveProject();
    const lead = await team.as("LEAD");
    const today = new Date().toISOString().slice(0, 10);
    expect((await exportText(lead, { format: "jsonl", project: team.project.slug, from: today, to: today })).trim().split("\n").length).toBeGreaterThan(5);
    // Nothing in range: the header alone says what the (empty) file is.
    const empty = (await exportText(lead, { format: "jsonl", project: team.project.slug, from: "2020-01-01", to: "2020-01-31" })).trimEnd().split("\n");
    expect(empty).toHaveLength(1);
    expect(JSON.parse(empty[0]!)).toMatchObject({ chain: "stretch", from: "2020-01-01", to: "2020-01-31" });
    await expectAppError(exportText(lead, { format: "jsonl", project: team.project.slug, from: "2020-02-01", to: "2020-01-01" }), "INVALID_INPUT");
  });
});

describe("offline verification of an export", () => {
  it("a whole export and a project's export both verify with the documented script, the project's as a stretch without --partial; an edited line does not", async () => {
    const { team } = await liveProject();
    await liveProject(); // another project's events, then more of this one's: they interleave
    const lead = await team.as("LEAD");
    await addComment(ctx(lead), { itemId: (await db.checklistItem.findFirstOrThrow({ where: { projectId: team.project.id }, select: { id: true } })).id, body: "Checked after the other project." });
    const auditor = await actorFor(await makeUser({ globalRoles: ["AUDITOR"] }));
    const dir = await mkdtemp(path.join(tmpdir(), "shipshape-export-"));
    const whole = path.join(dir, "whole.jsonl");
    const wholeText = await exportText(auditor, { format: "jsonl" });
    expect(JSON.parse(wholeText.split("\n")[0]!)).toMatchObject({ shipshape: "audit-export", chain: "whole", project: null });
    await writeFile(whole, wholeText);
    const wholeReport = await verifyExport({ file: whole, checkpoint: null, partial: false, json: false });
    expect(wholeReport).toMatchObject({ ok: true });
    expect(wholeReport.stretchFrom).toBeUndefined();
    // A whole export that lost its first events does not pass for a stretch: it says it is whole.
    const [wholeHeader, , ...laterEvents] = wholeText.trimEnd().split("\n");
    const cut = path.join(dir, "cut.jsonl");
    await writeFile(cut, [wholeHeader, ...laterEvents].join("\n"));
    expect(await verifyExport({ file: cut, checkpoint: null, partial: false, json: false })).toMatchObject({ ok: false });

    const own = path.join(dir, "own.jsonl");
    const text = await exportText(lead, { format: "jsonl", project: team.project.slug });
    expect(text).toContain('"contentHash"');
    await writeFile(own, text);
    // What an auditor does with the project's download: run the script on it, no flags.
    const report = await verifyExport({ file: own, checkpoint: null, partial: false, json: false });
    expect(report).toMatchObject({ ok: true });
    expect(report.withheld).toBeGreaterThan(0);
    expect(Number(report.stretchFrom)).toBeGreaterThan(1);

    const edited = path.join(dir, "edited.jsonl");
    await writeFile(edited, text.replace("Replica checked too.", "Replica never checked."));
    expect(await verifyExport({ file: edited, checkpoint: null, partial: false, json: false })).toMatchObject({ ok: false, firstBroken: { reason: "content_edited" } });
    await rm(dir, { recursive: true });
  });
});

describe("go-live decision package", () => {
  it("holds the decision, every sign-off round with names and digests, the checklist at go-live and the audit excerpt", async () => {
    const { team, goLiveId } = await liveProject();
    const lead = await team.as("LEAD");
    const integrity = await currentIntegrity();
    expect(integrity).toMatchObject({ ok: true });
    expect(integrity.headHash).toMatch(/^[0-9a-f]{64}$/);
    const pkg = await getDecisionPackage(lead, team.project.slug, goLiveId, integrity, "Europe/Berlin");
    const signoffs = await db.signoff.findMany({ where: { projectId: team.project.id }, select: { slot: true, digest: true, approverName: true } });
    const markdown = decisionPackageMarkdown(pkg);
    expect(markdown).toContain(`# Go-live decision: ${team.project.name}`);
    for (const signoff of signoffs) expect(markdown).toContain(`${inWords(slotWords, signoff.slot)} round 1: approved by ${signoff.approverName}`);
    for (const signoff of signoffs) expect(markdown).toContain(signoff.digest);
    expect(markdown).toContain("- [x] DBA check → “ready”");
    expect(markdown).toContain("Commented on “DBA check → “ready””: Replica checked too.");
    expect(markdown).toContain("(Europe/Berlin)");
    expect(markdown).toContain(`Intact: the audit chain verified (${integrity.checked} events).`);
    expect(markdown).toContain(integrity.headHash!);
    // The excerpt stops at the go-live moment: later events are not part of the decision.
    await addComment(ctx(lead), { itemId: (await db.checklistItem.findFirstOrThrow({ where: { projectId: team.project.id }, select: { id: true } })).id, body: "After the fact." });
    expect(decisionPackageMarkdown(await getDecisionPackage(lead, team.project.slug, goLiveId, await currentIntegrity(), "UTC"))).not.toContain("After the fact.");

    const pdf = await decisionPackagePdf(pkg);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.length).toBeGreaterThan(2_000);
  });

  it("is for those who may see the project", async () => {
    const { team, goLiveId } = await liveProject();
    const outsider = await actorFor(await makeUser());
    await expectAppError(getDecisionPackage(outsider, team.project.slug, goLiveId, await currentIntegrity(), "UTC"), "NOT_FOUND");
  });

  it("keeps PDF text to what the built-in fonts can draw", () => {
    expect(pdfSafe("status TODO → DONE “ok” café – 日本")).toBe("status TODO -> DONE “ok” café – ??");
  });
});
