import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { importChecklist } from "@/lib/checklists/mutations";
import { addItemCheck, runItemCheckNow } from "@/lib/checks/item-checks";
import { getGateForProject } from "@/lib/signoffs/data";
import { makeCertificate, startTlsTarget } from "../support/tls-target";
import { actorFor, ctx, makeProject, makeUser } from "./factories";

// A real team's checklist (the first seed: a Flask app on Vercel and MongoDB Atlas) whose
// post-deployment security items are proved by checks against servers on loopback, as they would
// be against the deployed service: the health endpoint answers, the security headers are sent,
// and HTTPS has a valid certificate (under the team's own CA). Passing closes the items and the
// gate stops naming them; when a header is dropped, the next run blocks its item and the gate
// names it again.

vi.hoisted(() => {
  process.env.OUTBOUND_ALLOW_PRIVATE = "127.0.0.1/32,127.0.0.2/32";
});

const SEED = path.resolve(process.cwd(), "../shared/seeds/000_dafddfabcb8469d7.txt");
const secure: Record<string, string> = {
  "strict-transport-security": "max-age=63072000; includeSubDomains",
  "content-security-policy": "default-src 'self'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};

let app: Server;
let appUrl: string;
let dropped: string | null = null;
let tls: Awaited<ReturnType<typeof startTlsTarget>>;
const certificate = makeCertificate(90);

beforeAll(async () => {
  app = createServer((_request, response) => {
    for (const [name, value] of Object.entries(secure)) if (name !== dropped) response.setHeader(name, value);
    response.end(JSON.stringify({ status: "ok" }));
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  tls = await startTlsTarget(certificate);
});

afterAll(async () => {
  await new Promise<void>((resolve) => app.close(() => resolve()));
  await tls.close();
});

describe("a seed checklist proved by checks", () => {
  it("its security items pass against local servers and leave the gate; a dropped header blocks its item again", async () => {
    const lead = await makeUser({ name: "Seed Lead" });
    const project = await makeProject([{ user: lead, roles: ["LEAD"] }]);
    const actor = ctx(await actorFor(lead));
    await importChecklist(actor, { projectId: project.id, markdown: readFileSync(SEED), source: "000_dafddfabcb8469d7.txt" });
    const items = await db.checklistItem.findMany({ where: { projectId: project.id }, select: { id: true, title: true, area: true } });
    const item = (title: string) => {
      const found = items.find((entry) => entry.title === title);
      if (!found) throw new Error(`no item "${title}" in the seed`);
      return found;
    };
    const proofs = [
      { item: item("Health check endpoint responding"), check: { kind: "http", target: `${appUrl}/health`, bodyContains: "ok" } },
      { item: item("Security headers present"), check: { kind: "headers", target: `${appUrl}/` } },
      { item: item("Security headers enabled"), check: { kind: "headers", target: `${appUrl}/login` } },
      { item: item("HTTPS enforced"), check: { kind: "tls", target: tls.target, minDaysLeft: "30", ca: certificate.cert } },
    ];
    const checks: { itemId: string; checkId: string; title: string }[] = [];
    for (const proof of proofs) {
      const { checkId } = await addItemCheck(actor, { itemId: proof.item.id, intervalMinutes: "60", marksDone: "on", failuresToReopen: "1", ...proof.check });
      checks.push({ itemId: proof.item.id, checkId, title: proof.item.title });
    }
    const gateNames = (gate: Awaited<ReturnType<typeof getGateForProject>>) => checks.filter((check) => gate.reasons.some((reason) => "itemId" in reason && reason.itemId === check.itemId)).map((check) => check.title);
    expect(gateNames(await getGateForProject(project.id))).toEqual(checks.map((check) => check.title));

    for (const check of checks) {
      const recorded = await runItemCheckNow(actor, { checkId: check.checkId });
      expect(recorded.outcome, check.title).toBe("PASS");
    }
    const proved = await db.checklistItem.findMany({ where: { id: { in: checks.map((check) => check.itemId) } }, select: { title: true, status: true, area: true, results: { select: { summary: true } } } });
    console.log(`[seed checks] ${proved.map((entry) => `${entry.title} (${entry.area}): ${entry.status}: ${entry.results[0]?.summary}`).join("\n[seed checks] ")}`);
    expect(proved.every((entry) => entry.status === "DONE")).toBe(true);
    expect(gateNames(await getGateForProject(project.id))).toEqual([]);

    // The app stops sending its Content-Security-Policy: both headers items fail and block again.
    dropped = "content-security-policy";
    for (const check of checks) await runItemCheckNow(actor, { checkId: check.checkId });
    const after = await db.checklistItem.findMany({ where: { id: { in: checks.map((check) => check.itemId) } }, select: { title: true, status: true } });
    expect(Object.fromEntries(after.map((entry) => [entry.title, entry.status]))).toEqual({
      "Health check endpoint responding": "DONE",
      "Security headers present": "BLOCKED",
      "Security headers enabled": "BLOCKED",
      "HTTPS enforced": "DONE",
    });
    expect(gateNames(await getGateForProject(project.id)).sort()).toEqual(["Security headers enabled", "Security headers present"]);
  });
});
