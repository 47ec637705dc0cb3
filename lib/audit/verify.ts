import { db, longDb, type Tx } from "@/lib/db";
import { AUDIT_EVENT_COLUMNS, toChainedEvent, type AuditEventRow } from "@/lib/audit/rows";
import { assertCan, type Actor } from "@/lib/policy";
import { AppError } from "@/lib/errors";
import { ChainVerifier, checkpointAnchor, type ChainAnchor, type ChainReport, type Checkpoint } from "@/lib/audit/chain";
import { parseSignedCheckpoint, signAuditCheckpoint } from "@/lib/audit/checkpoint";

// Verification of the audit hash chain stored in the database (the canonical form and the
// checks themselves are in lib/audit/chain.ts).
//
// - verifyAuditChain: the whole chain, streamed in seq order in keyset batches (constant memory),
//   optionally against a signed checkpoint. For the CLI, the API and scripts.
// - createAuditCheckpoint: verifies the whole chain, then signs its last event's position and
//   hash; a checkpoint is never issued over a broken chain.
// - getAuditChainStatus: the cheap check for pages (e.g. the history page's badge): the newest
//   events (1,000 by default) and the chain head, in a few small queries (milliseconds). It proves
//   the tail is intact and nothing was cut off behind the head's back, not the whole history:
//   link to the full check (GET /api/v1/audit/verify) for that.

/** Anything that can run a raw query: the application's client, another client, or a transaction. */
export type ChainReader = Pick<Tx, "$queryRaw">;

/** The next batch after (seq, id) in chain order. id breaks ties, so duplicated seqs are all seen. */
function readBatch(client: ChainReader, afterSeq: bigint, afterId: bigint, limit: number): Promise<AuditEventRow[]> {
  return client.$queryRaw<AuditEventRow[]>`
    SELECT ${AUDIT_EVENT_COLUMNS}
    FROM audit_events
    WHERE seq >= ${afterSeq} AND (seq > ${afterSeq} OR id > ${afterId})
    ORDER BY seq, id
    LIMIT ${limit}`;
}

async function readHead(client: ChainReader): Promise<{ seq: bigint; hash: string } | null> {
  const [head] = await client.$queryRaw<{ seq: bigint; hash: string }[]>`SELECT seq, hash FROM audit_chain_head WHERE id = 1`;
  return head ?? null;
}

/**
 * Pending events are appended and deleted by their own transaction's commit, so none is ever
 * visible to another session: one that is was committed while the append trigger was off.
 * (Inside a transaction that recorded events, its own pending events are visible: verify elsewhere.)
 */
async function countUnchained(client: ChainReader): Promise<number> {
  const [row] = await client.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM audit_pending_events`;
  return Number(row?.count ?? 0n);
}

export type VerifyOptions = {
  /** Default: the application's database. */
  client?: ChainReader;
  /** A checkpoint (signature already checked, see verifyAuditTrail): the chain must still pass there with its hash. */
  checkpoint?: Checkpoint;
  /** Events per query (default 5,000). */
  batchSize?: number;
};

export type VerifyReport = ChainReport & {
  /** The chain head row when verification started (seq and hash): what the writers built on. */
  head: { seq: number; hash: string } | null;
  checkpoint?: { seq: number; hash: string; signature: "valid" | "unchecked" };
};

/**
 * Verifies the whole chain: every event's hash against its content, every link, seq without
 * gaps or duplicates, the chain head row, and the checkpoint if given. Stops at the first
 * break. Events appended while it runs are checked too (they extend the prefix it reads).
 */
export async function verifyAuditChain(options: VerifyOptions = {}): Promise<VerifyReport> {
  const client = options.client ?? longDb;
  const batchSize = options.batchSize ?? 5_000;
  const head = await readHead(client);
  const anchors: ChainAnchor[] = [];
  if (head) anchors.push({ seq: head.seq, hash: head.hash, source: "head" });
  if (options.checkpoint) anchors.push(checkpointAnchor(options.checkpoint));
  const verifier = new ChainVerifier({ anchors });

  let afterSeq = -1n;
  let afterId = -1n;
  for (;;) {
    const rows = await readBatch(client, afterSeq, afterId, batchSize);
    for (const row of rows) {
      if (!verifier.push(toChainedEvent(row))) break;
    }
    const last = rows.at(-1);
    if (verifier.broken || !last || rows.length < batchSize) break;
    afterSeq = last.seq;
    afterId = last.id;
  }
  const report = verifier.finish();
  return withContext(report.ok ? await checkHeadAndPending(client, report) : report, head, options.checkpoint, options.checkpoint ? "valid" : undefined);
}

/**
 * What an intact run of events cannot show by itself, checked once they are read: events
 * committed but never chained (see countUnchained), and events beyond the head. Every append
 * moves the head in its own transaction, so the head read afterwards is at least as far as any
 * event read; an intact chain that goes further was appended behind the trigger's back (by
 * someone able to disable it): well-formed, but never through the head.
 */
async function checkHeadAndPending(client: ChainReader, report: ChainReport): Promise<ChainReport> {
  const head = await readHead(client);
  const unchained = await countUnchained(client);
  if (unchained > 0) {
    const firstBroken = {
      seq: Number(head?.seq ?? 0n) + 1,
      id: null,
      reason: "unchained_events" as const,
      message: `${unchained} committed event${unchained === 1 ? " was" : "s were"} never appended to the chain (left in audit_pending_events): the append trigger was switched off.`,
    };
    return { ...report, ok: false, firstBroken };
  }
  if (!head || BigInt(report.lastSeq) <= head.seq) return report;
  const seq = head.seq + 1n;
  const [row] = await client.$queryRaw<{ id: bigint }[]>`SELECT id FROM audit_events WHERE seq = ${seq} ORDER BY id LIMIT 1`;
  const [atHead] = await client.$queryRaw<{ occurred_at: Date }[]>`SELECT occurred_at FROM audit_events WHERE seq = ${head.seq} ORDER BY id LIMIT 1`;
  const firstBroken = {
    seq: Number(seq),
    id: row ? row.id.toString() : null,
    reason: "head_mismatch" as const,
    message: `Events from seq ${seq} on lie beyond the chain head (seq ${head.seq}): they were not appended through it.`,
  };
  // What is proven ends at the head: the events beyond it are the finding, not intact history.
  const beyond = report.lastSeq - Number(head.seq);
  return { ...report, ok: false, checked: report.checked - beyond, lastSeq: Number(head.seq), lastHash: head.hash, lastOccurredAt: atHead?.occurred_at.toISOString() ?? null, firstBroken };
}

function withContext(report: ChainReport, head: { seq: bigint; hash: string } | null, checkpoint?: Checkpoint, signature?: "valid" | "unchecked"): VerifyReport {
  const missingHead = head
    ? {}
    : { ok: false, firstBroken: report.firstBroken ?? { seq: 0, id: null, reason: "head_mismatch" as const, message: "The chain head row (audit_chain_head) is missing." } };
  return {
    ...report,
    ...missingHead,
    head: head ? { seq: Number(head.seq), hash: head.hash } : null,
    ...(checkpoint && signature ? { checkpoint: { seq: checkpoint.seq, hash: checkpoint.hash, signature } } : {}),
  };
}

export type ChainStatus = VerifyReport & { scope: "recent"; fromSeq: number };

/**
 * The cheap check for pages: the newest `recent` events link up, match their hashes, and end
 * where the chain head says. Trusts the stored hash of the event just before them.
 */
export async function readAuditChainStatus(options: { client?: ChainReader; recent?: number } = {}): Promise<ChainStatus> {
  const client = options.client ?? db;
  const recent = Math.max(1, Math.min(options.recent ?? 1_000, 100_000));
  const head = await readHead(client);
  const headSeq = head?.seq ?? 0n;
  const from = headSeq > BigInt(recent) ? headSeq - BigInt(recent) : 0n;
  // The event at `from` is the trusted start (its own hash is not checked); then the rest.
  const rows = await client.$queryRaw<AuditEventRow[]>`
    SELECT ${AUDIT_EVENT_COLUMNS}
    FROM audit_events WHERE seq >= ${from} ORDER BY seq, id LIMIT ${recent + 1}`;
  const startRow = from > 0n ? rows.find((row) => row.seq === from) : undefined;
  if (from > 0n && !startRow) {
    const report: ChainReport = { ok: false, checked: 0, lastSeq: 0, lastHash: "", lastOccurredAt: null, firstBroken: { seq: Number(from), id: null, reason: "seq_gap", message: `Seq ${from} is missing.` } };
    return { ...withContext(report, head), scope: "recent", fromSeq: Number(from) + 1 };
  }
  const verifier = new ChainVerifier({
    ...(startRow ? { start: { seq: startRow.seq, hash: startRow.hash } } : {}),
    anchors: head ? [{ seq: head.seq, hash: head.hash, source: "head" }] : [],
  });
  for (const row of rows) {
    if (row === startRow) continue;
    if (!verifier.push(toChainedEvent(row))) break;
  }
  const report = verifier.finish();
  const unchained = report.ok ? await countUnchained(client) : 0;
  const checked: ChainReport =
    unchained > 0
      ? { ...report, ok: false, firstBroken: { seq: report.lastSeq + 1, id: null, reason: "unchained_events", message: `${unchained} committed event(s) were never appended to the chain.` } }
      : report;
  return { ...withContext(checked, head), scope: "recent", fromSeq: Number(from) + 1 };
}

/**
 * Verifies the whole chain, then signs the position and hash of its last event. Refused
 * (CONFLICT) over a broken chain, which it must not vouch for, and over an empty one.
 */
export async function createAuditCheckpoint(options: { client?: ChainReader; now?: Date } = {}): Promise<{ checkpoint: Checkpoint; report: VerifyReport }> {
  const report = await verifyAuditChain({ ...(options.client ? { client: options.client } : {}) });
  if (!report.ok) {
    throw new AppError("CONFLICT", `The audit chain is broken at seq ${report.firstBroken?.seq}: no checkpoint is signed over a broken chain.`, undefined, { report });
  }
  if (report.lastSeq === 0 || report.lastOccurredAt === null) throw new AppError("CONFLICT", "The audit trail is empty: there is nothing to checkpoint yet.");
  const checkpoint = signAuditCheckpoint({ seq: report.lastSeq, hash: report.lastHash, occurredAt: report.lastOccurredAt, exportedAt: (options.now ?? new Date()).toISOString() });
  return { checkpoint, report };
}

/** The full verification, for auditors and admins (GET/POST /api/v1/audit/verify); `checkpoint` is untrusted input. */
export async function verifyAuditTrail(actor: Actor, input: { checkpoint?: unknown } = {}): Promise<VerifyReport> {
  assertCan(actor, "audit.viewAll", { kind: "global" });
  const checkpoint = input.checkpoint === undefined ? undefined : parseSignedCheckpoint(input.checkpoint);
  return verifyAuditChain(checkpoint ? { checkpoint } : {});
}

/** A signed checkpoint of the verified chain, for admins (GET /api/v1/audit/checkpoint). */
export async function exportAuditCheckpoint(actor: Actor): Promise<Checkpoint> {
  assertCan(actor, "audit.checkpoint", { kind: "global" });
  return (await createAuditCheckpoint()).checkpoint;
}

/** The cheap status for the history page (see readAuditChainStatus), for auditors and admins. */
export async function getAuditChainStatus(actor: Actor, options: { recent?: number } = {}): Promise<ChainStatus> {
  assertCan(actor, "audit.viewAll", { kind: "global" });
  return readAuditChainStatus(options);
}
