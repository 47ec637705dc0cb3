import { Prisma } from "@/lib/generated/prisma/client";
import { db, longDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { assertCan, type Actor } from "@/lib/policy";
import { getProjectForActor } from "@/lib/projects/data";
import { endOfDayIn } from "@/lib/time";
import { contentHash, type ChainedEvent } from "@/lib/audit/chain";
import { AUDIT_EVENT_COLUMNS, toChainedEvent, type AuditEventRow } from "@/lib/audit/rows";
import { z } from "zod";
import { parseInput } from "@/lib/validation";
import { EXPORT_HEADER_MARK, type ExportHeader } from "@/lib/audit/export-header";

// History exports, streamed: events are read in keyset batches in chain order and written out
// as they come, so memory stays flat whatever the size of the history. Each line carries the
// event exactly as stored, chain fields included, so that a file can be checked offline with
// scripts/verify-audit-export.ts (JSON Lines; a filtered file carries withheld lines for the
// events between its own, so it verifies as one stretch of the chain).

const BATCH = 1_000;

export const exportQuerySchema = z.object({
  format: z.enum(["csv", "jsonl"], { error: "Choose format csv or jsonl." }),
  project: z.string().trim().max(100).optional(),
  /** Calendar days, inclusive, in `zone`. */
  from: z.iso.date("Enter from as YYYY-MM-DD.").optional(),
  to: z.iso.date("Enter to as YYYY-MM-DD.").optional(),
});
export type ExportQuery = z.infer<typeof exportQuerySchema>;

type Row = AuditEventRow & { included: boolean };

/** One event as exported: the stored columns, JSON values as JSON, the id and seq as strings. */
export type ExportedEvent = Omit<ChainedEvent, "id" | "seq" | "occurredAt"> & { id: string; seq: string; occurredAt: string };

/** An event outside the export's filter: only what keeps the chain verifiable across it. */
export type WithheldLine = { id: string; seq: string; prevHash: string; hash: string; contentHash: string };


const CSV_COLUMNS = ["id", "seq", "prevHash", "hash", "occurredAt", "actorId", "actorName", "actorEmail", "action", "entityType", "entityId", "projectId", "before", "after", "requestId"] as const satisfies readonly (keyof ExportedEvent)[];

function toExported(row: Row): ExportedEvent {
  return { ...toChainedEvent(row), id: row.id.toString(), seq: row.seq.toString(), occurredAt: row.occurred_at.toISOString() };
}

// Spreadsheets run a cell that starts with these as a formula (OWASP: CSV injection).
const FORMULA_TRIGGERS = new Set(["=", "+", "-", "@", "\t", "\r"]);

function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  if (text && FORMULA_TRIGGERS.has(text[0]!) && typeof value === "string") text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(",")}\r\n`;
}

export function csvLine(event: ExportedEvent): string {
  return `${CSV_COLUMNS.map((column) => csvCell(event[column])).join(",")}\r\n`;
}

function toWithheld(row: Row): WithheldLine {
  return { id: row.id.toString(), seq: row.seq.toString(), prevHash: row.prev_hash, hash: row.hash, contentHash: contentHash(toChainedEvent(row)) };
}

export function jsonLine(event: ExportedEvent | WithheldLine): string {
  return `${JSON.stringify(event)}\n`;
}

/** Which events an export covers, checked against what the actor may read. */
export async function exportScope(actor: Actor, query: ExportQuery, zone: string): Promise<{ where: Prisma.Sql; name: string; filtered: boolean }> {
  const conditions: Prisma.Sql[] = [];
  let name = "shipshape-history";
  if (query.project) {
    const project = await getProjectForActor(actor, query.project);
    conditions.push(Prisma.sql`project_id = ${project.id}::uuid`);
    name = `${project.slug}-history`;
  } else {
    assertCan(actor, "audit.viewAll", { kind: "global" });
  }
  if (query.from) {
    const previous = new Date(`${query.from}T12:00:00Z`);
    previous.setUTCDate(previous.getUTCDate() - 1);
    conditions.push(Prisma.sql`occurred_at > ${endOfDayIn(previous.toISOString().slice(0, 10), zone)}`);
  }
  if (query.to) conditions.push(Prisma.sql`occurred_at <= ${endOfDayIn(query.to, zone)}`);
  if (query.from && query.to && query.from > query.to) throw new AppError("INVALID_INPUT", "The range ends before it starts.", { to: ["Choose a day on or after from."] });
  return { where: conditions.length ? Prisma.join(conditions, " AND ") : Prisma.sql`TRUE`, name, filtered: conditions.length > 0 };
}

/**
 * The events of a scope in chain order, a batch at a time (keyset on seq: constant memory).
 * With `withhold`, the events between the first and the last one in scope come too, as withheld
 * lines (hashes only), so that a filtered JSON Lines file still verifies as one chain offline.
 */
export async function* streamEvents(where: Prisma.Sql, options: { withhold?: boolean; client?: Pick<typeof db, "$queryRaw"> } = {}): AsyncGenerator<ExportedEvent | WithheldLine> {
  const client = options.client ?? longDb;
  let after = -1n;
  let last: bigint | null = null;
  if (options.withhold) {
    const [range] = await client.$queryRaw<{ first: bigint | null; last: bigint | null }[]>`SELECT min(seq) AS first, max(seq) AS last FROM audit_events WHERE ${where}`;
    if (!range?.first || !range.last) return;
    after = range.first - 1n;
    last = range.last;
  }
  for (;;) {
    const rows: Row[] = options.withhold
      ? await client.$queryRaw<Row[]>`
          SELECT ${AUDIT_EVENT_COLUMNS}, (${where}) AS included
          FROM audit_events WHERE seq > ${after} AND seq <= ${last} ORDER BY seq LIMIT ${BATCH}`
      : await client.$queryRaw<Row[]>`
          SELECT ${AUDIT_EVENT_COLUMNS}, TRUE AS included
          FROM audit_events WHERE ${where} AND seq > ${after} ORDER BY seq LIMIT ${BATCH}`;
    for (const row of rows) yield row.included ? toExported(row) : toWithheld(row);
    if (rows.length < BATCH) return;
    after = rows.at(-1)!.seq;
  }
}

/** A streamed response body: lines are produced as the reader asks for them (back-pressure). */
export function exportStream(events: AsyncGenerator<ExportedEvent | WithheldLine>, format: "csv" | "jsonl", header?: ExportHeader): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) controller.enqueue(encoder.encode(format === "csv" ? csvHeader() : header ? `${JSON.stringify(header)}\n` : ""));
      started = true;
      // About a batch per pull: enough to keep the socket busy, small enough to stay flat.
      let chunk = "";
      for (let count = 0; count < 200; count++) {
        const next = await events.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += format === "csv" ? ("action" in next.value ? csvLine(next.value) : "") : jsonLine(next.value);
      }
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await events.return(undefined);
    },
  });
}

/** An export as a response body: the stream, a file name and its content type. */
export async function exportHistory(actor: Actor, input: unknown, zone: string): Promise<{ body: ReadableStream<Uint8Array>; fileName: string; contentType: string }> {
  const query = parseInput(exportQuerySchema, input);
  const scope = await exportScope(actor, query, zone);
  const events = streamEvents(scope.where, { withhold: scope.filtered && query.format === "jsonl" });
  const header: ExportHeader = {
    shipshape: EXPORT_HEADER_MARK,
    version: 1,
    chain: scope.filtered ? "stretch" : "whole",
    project: query.project ?? null,
    from: query.from ?? null,
    to: query.to ?? null,
    exportedAt: new Date().toISOString(),
  };
  return {
    body: exportStream(events, query.format, header),
    fileName: `${scope.name}.${query.format}`,
    contentType: query.format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
  };
}
