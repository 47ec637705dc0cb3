import PDFDocument from "pdfkit";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/policy";
import { getGoLive, type GoLiveSnapshot } from "@/lib/signoffs/data";
import { auditActions } from "@/lib/audit/events";
import { describeAuditEvent, describeSlotsChange } from "@/lib/audit/format";
import { signoffSlots, type SignoffSlot } from "@/lib/signoffs/digest";
import { slotList } from "@/lib/signoffs/gate";
import { areaLabels } from "@/lib/checklists/types";
import { formatDateTime } from "@/lib/time";
import { capacityInSentence, decisionWords, inWords, plural, proofInWords, signoffStateWords, slotWords } from "@/lib/words";

// The go-live decision package: what was decided, by whom, on what state, and whether the
// record behind it is intact. One data model, rendered as Markdown and as PDF.

const EXCERPT_LIMIT = 500;

export type Integrity = { ok: boolean; checked: number; headSeq: string | null; headHash: string | null; detail: string };

export type DecisionPackage = {
  project: { slug: string; name: string };
  goLive: { id: string; markedAt: string; markedByName: string; reauthMethod: string | null; reauthAt: string | null; reauthBasis: string | null };
  snapshot: GoLiveSnapshot;
  excerpt: { id: string; occurredAt: string; actorName: string | null; action: string; description: string }[];
  excerptTruncated: boolean;
  /** Every change of the sign-off settings up to go-live (however long the history), and the sign-offs each made stale. */
  slotChanges: { occurredAt: string; actorName: string | null; description: string; madeStale: SignoffSlot[] }[];
  integrity: Integrity;
  generatedAt: string;
  zone: string;
};

const statusWords: Record<string, string> = { TODO: "to do", IN_PROGRESS: "in progress", BLOCKED: "blocked", DONE: "done", NOT_APPLICABLE: "not applicable", WAIVED: "waived" };

/**
 * Gathers a go-live's package for someone who may see the project: its frozen snapshot, the
 * project's audit events up to the go-live moment, every change of what go-live required
 * (read apart from the excerpt, which keeps only the latest events), and the integrity check
 * the caller ran.
 */
export async function getDecisionPackage(actor: Actor, slug: string, goLiveId: string, integrity: Integrity, zone: string): Promise<DecisionPackage> {
  const { project, goLive } = await getGoLive(actor, slug, goLiveId);
  const upToGoLive = { projectId: project.id, occurredAt: { lte: new Date(goLive.markedAt) } };
  const [rows, slotChanges, staleBySlotChanges] = await Promise.all([
    db.auditEvent.findMany({
      where: upToGoLive,
      orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
      take: EXCERPT_LIMIT + 1,
      select: { id: true, occurredAt: true, actorName: true, action: true, before: true, after: true },
    }),
    db.auditEvent.findMany({ where: { ...upToGoLive, action: auditActions.SIGNOFF_SLOTS_CHANGED }, orderBy: { seq: "asc" }, select: { occurredAt: true, actorName: true, before: true, after: true } }),
    db.auditEvent.findMany({
      where: { ...upToGoLive, action: auditActions.SIGNOFF_STALE, after: { path: ["cause", "action"], equals: auditActions.SIGNOFF_SLOTS_CHANGED } },
      orderBy: { seq: "asc" },
      select: { occurredAt: true, after: true },
    }),
  ]);
  const staleSlot = (after: unknown) => {
    const slot = (after as { slot?: unknown } | null)?.slot;
    return signoffSlots.find((known) => known === slot);
  };
  const excerpt = rows
    .slice(0, EXCERPT_LIMIT)
    .reverse()
    .map((row) => ({ id: row.id.toString(), occurredAt: row.occurredAt.toISOString(), actorName: row.actorName, action: row.action, description: describeAuditEvent(row) }));
  return {
    project: { slug: project.slug, name: project.name },
    goLive: { id: goLive.id, markedAt: goLive.markedAt, markedByName: goLive.markedByName, reauthMethod: goLive.reauthMethod, reauthAt: goLive.reauthAt, reauthBasis: goLive.reauthBasis },
    snapshot: goLive.snapshot,
    excerpt,
    excerptTruncated: rows.length > EXCERPT_LIMIT,
    slotChanges: slotChanges.map((change) => ({
      occurredAt: change.occurredAt.toISOString(),
      actorName: change.actorName,
      description: describeSlotsChange(change.before, change.after),
      // The stale events of a change share its transaction, hence its time.
      madeStale: signoffSlots.filter((slot) => staleBySlotChanges.some((stale) => stale.occurredAt.getTime() === change.occurredAt.getTime() && staleSlot(stale.after) === slot)),
    })),
    integrity,
    generatedAt: new Date().toISOString(),
    zone,
  };
}

type Section = { heading: string; lines: string[] };

/** The package as titled sections of plain lines: the one source both renderings follow. */
function outline(pkg: DecisionPackage): { title: string; sections: Section[] } {
  const when = (iso: string) => `${formatDateTime(new Date(iso), pkg.zone)} (${pkg.zone})`;
  const { snapshot } = pkg;
  const items = snapshot.items;
  const ready = items.filter((item) => item.status === "DONE" || item.status === "NOT_APPLICABLE" || item.status === "WAIVED").length;
  const checklist: string[] = [];
  for (const section of [...snapshot.sections].sort((a, b) => a.position - b.position)) {
    checklist.push(`## ${section.title}`);
    const inSection = items.filter((item) => item.sectionId === section.id);
    const depth = (item: GoLiveSnapshot["items"][number]): number => {
      let level = 0;
      for (let parent = item.parentId; parent; parent = items.find((entry) => entry.id === parent)?.parentId ?? null) level++;
      return level;
    };
    for (const item of inSection) {
      const mark = item.status === "DONE" ? "[x]" : "[ ]";
      const notes = [areaLabels[item.area], item.required ? null : "optional", statusWords[item.status], item.evidence.length ? `${item.evidence.length} evidence` : null, item.statusReason ? `reason: ${item.statusReason}` : null, item.latestResult ? `latest result: ${item.latestResult.outcome === "PASS" ? "passed" : "failed"}${item.latestResult.counted === false ? " (not counted yet)" : ""} ${when(item.latestResult.recordedAt)} (${item.latestResult.summary}, by ${item.latestResult.actorName})` : null].filter(Boolean).join("; ");
      checklist.push(`${"  ".repeat(depth(item))}- ${mark} ${item.title} (${notes})`);
    }
  }
  const rounds = [...snapshot.signoffs].sort((a, b) => a.slot.localeCompare(b.slot) || a.round - b.round);
  const waivers = items.filter((item) => item.status === "WAIVED");
  const integrity = pkg.integrity;
  return {
    title: `Go-live decision: ${pkg.project.name}`,
    sections: [
      {
        heading: "Decision",
        lines: [
          `Project: ${pkg.project.name} (${pkg.project.slug})`,
          `Marked live by ${pkg.goLive.markedByName} on ${when(pkg.goLive.markedAt)}, with the go-live gate open.`,
          `Identity of whoever marked it live: ${proofInWords(pkg.goLive, pkg.goLive.markedAt) ?? "not recorded (marked live before re-authentication was recorded)"}.`,
          `Checklist at that moment: ${ready} of ${items.length} items ready (done, not applicable or validly waived).`,
          `Package generated ${when(pkg.generatedAt)}; go-live record ${pkg.goLive.id}.`,
        ],
      },
      {
        heading: "Integrity of the record",
        lines: [
          integrity.ok ? `Intact: the audit chain verified (${integrity.checked} events).` : `NOT INTACT: ${integrity.detail}`,
          `Checked against chain head ${integrity.headSeq ?? "?"}: ${integrity.headHash ?? "no hash"}`,
          integrity.ok ? integrity.detail : "Treat this package as unverified until the break is explained.",
        ].filter(Boolean),
      },
      {
        heading: "Sign-offs (every round)",
        lines: rounds.length
          ? rounds.flatMap((signoff) => [
              `${inWords(slotWords, signoff.slot)} round ${signoff.round}: ${inWords(decisionWords, signoff.decision).toLowerCase()} by ${signoff.approverName}${signoff.approverTitle ? `, ${signoff.approverTitle}` : ""} as ${capacityInSentence(signoff.capacity)} on ${when(signoff.signedAt)}${signoff.openItems ? `, with ${plural(signoff.openItems, "required item")} not ready (confirmed by the approver)` : ""}; ${inWords(signoffStateWords, signoff.state)}; digest ${signoff.digest}${signoff.comment ? `; comment: ${signoff.comment}` : ""}${signoff.reason ? `; reason: ${signoff.reason}` : ""}`,
              `  - Meaning: ${signoff.meaning ?? "not recorded (signed before the meaning was recorded)"}`,
              `  - Identity: ${proofInWords({ reauthMethod: signoff.reauthMethod, reauthAt: signoff.reauthAt, reauthBasis: signoff.reauthBasis }, signoff.signedAt) ?? "not recorded (signed before re-authentication was recorded)"}`,
            ])
          : ["No sign-offs."],
      },
      {
        heading: "Changes of the required sign-offs",
        lines: [
          `Required at go-live: ${snapshot.project ? slotList(snapshot.project.requiredSlots) : "not recorded"}.`,
          ...(pkg.slotChanges.length
            ? pkg.slotChanges.map(
                (change) =>
                  `${when(change.occurredAt)} ${change.actorName ?? "system"}: ${change.description}.${change.madeStale.length ? ` The current ${slotList(change.madeStale)} sign-off${change.madeStale.length === 1 ? "" : "s"} went stale and had to be given again.` : ""}`,
              )
            : ["Never changed: the project kept the default sign-offs it was created with."]),
        ],
      },
      {
        heading: "Waivers",
        lines: waivers.length ? waivers.map((item) => `${item.title}: risk owner ${item.waiverRiskOwner ?? "?"}, expires ${item.waiverExpiresAt?.slice(0, 10) ?? "?"}, requested by ${item.waiverGrantedByName ?? "?"}, accepted by ${item.waiverAcceptedByName ?? "nobody"}; ${item.statusReason ?? ""}`.trim()) : ["No waivers."],
      },
      { heading: "Checklist at go-live", lines: checklist },
      {
        heading: `Audit excerpt${pkg.excerptTruncated ? ` (the last ${pkg.excerpt.length} events before go-live)` : ""}`,
        lines: pkg.excerpt.map((event) => `#${event.id} ${when(event.occurredAt)} ${event.actorName ?? "system"}: ${event.description}`),
      },
    ],
  };
}

export function decisionPackageMarkdown(pkg: DecisionPackage): string {
  const { title, sections } = outline(pkg);
  const out = [`# ${title}`, ""];
  for (const section of sections) {
    out.push(`## ${section.heading}`, "");
    for (const line of section.lines) {
      if (line.startsWith("## ")) out.push("", `#${line}`, "");
      else if (/^\s*- /.test(line)) out.push(line);
      else out.push(`- ${line}`);
    }
    out.push("");
  }
  return out.join("\n");
}

// The PDF's built-in fonts speak Windows-1252: beyond it, arrows become ASCII and anything else
// a question mark, rather than garbage glyphs.
const WIN_ANSI_EXTRAS = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");
export function pdfSafe(text: string): string {
  return [...text.replaceAll("→", "->").replaceAll("›", ">")].map((character) => (character.charCodeAt(0) <= 0xff || WIN_ANSI_EXTRAS.has(character) ? character : "?")).join("");
}

/** The same outline as a PDF (pdfkit's built-in Helvetica: no font files to ship). */
export function decisionPackagePdf(pkg: DecisionPackage): Promise<Buffer> {
  const { title, sections } = outline(pkg);
  const doc = new PDFDocument({ size: "A4", margin: 50, info: { Title: title, Author: "Shipshape", Subject: `Go-live ${pkg.goLive.id}` } });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.font("Helvetica-Bold").fontSize(18).text(pdfSafe(title));
  for (const section of sections) {
    doc.moveDown(0.8).font("Helvetica-Bold").fontSize(13).text(pdfSafe(section.heading));
    doc.moveDown(0.3);
    for (const line of section.lines) {
      if (line.startsWith("## ")) {
        doc.moveDown(0.4).font("Helvetica-Bold").fontSize(10).text(pdfSafe(line.slice(3)));
        continue;
      }
      const indent = (/^(\s*)/.exec(line)?.[1]?.length ?? 0) * 6;
      doc.font("Helvetica").fontSize(9).text(pdfSafe(line.trim()), { indent, paragraphGap: 1.5 });
    }
  }
  doc.end();
  return done;
}
