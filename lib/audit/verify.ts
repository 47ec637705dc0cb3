import { db, longDb, type Tx } from "@/lib/db";
import { AUDIT_EVENT_COLUMNS, toChainedEvent, type AuditEventRow } from "@/lib/audit/rows";
import { assertCan, type Actor } from "@/lib/policy";
import { AppError } from "@/lib/errors";
import { ChainVerifier, GENESIS_HASH, checkpointAnchor, type BreakReason, type ChainAnchor, type ChainBreak, type ChainReport, type Checkpoint } from "@/lib/audit/chain";
import { parseSignedCheckpoint, signAuditCheckpoint } from "@/lib/audit/checkpoint";

// Verification of the audit hash chain stored in the database (the canonical form and the
// checks themselves are in lib/audit/chain.ts).
//
// - verifyAuditChain: the whole chain, streamed in seq order in keyset batches (constant memory),
//   optionally against a signed checkpoint. For the CLI, the API and scripts.
// - createAuditCheckpoint: verifies the whole chain, then signs its last event's position and
//   hash; a checkpoint is never issued over a broken chain.
// - getVerifiedChainStatus: the history badge. The chain is verified incrementally from the
//   position verified last (audit_verified_head): each view checks only the events appended since
//   (at most VERIFY_PER_VIEW), that the event at the remembered position still carries its hash,
//   the head and the pending events; O(1) per view whatever the length of the history.
// - getAuditChainStatus: the tail check (e.g. the history page's badge): the newest
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
  const result = withContext(report.ok ? await checkHeadAndPending(client, report) : report, head, options.checkpoint, options.checkpoint ? "valid" : undefined);
  await rememberFullVerification(client, result);
  return result;
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

// The remembered verified head (audit_verified_head). It moves only forward, and only along a
// verified path: an advance names the position it was verified from and applies only if the row
// still holds it, so concurrent viewers (on any number of instances) cannot move it past events
// nobody verified; the loser's work is simply redone by the next view. It is a cache of
// verification, written by reads: no audit event records it (an event per view would itself
// lengthen the chain), and the full verification never trusts it.

type VerifiedHeadRow = {
  head_seq: bigint | null;
  head_hash: string | null;
  seq: bigint | null;
  hash: string | null;
  occurred_at: Date | null;
  verified_at: Date | null;
  fully_verified_at: Date | null;
  broken_seq: bigint | null;
  broken_reason: string | null;
  broken_message: string | null;
  broken_at: Date | null;
  /** The hashes of the events at the verified seq now (one, unless the chain was tampered with). */
  at_verified: string[] | null;
};

/** Events a single view verifies at most: a history much longer than its verified head is caught up over several views (or at once by a full verification). */
export const VERIFY_PER_VIEW = 2_000;

/** Records a full verification's result: intact, the verified head moves to where it ended (and any earlier break is cleared); broken, the break is kept for the badge. */
async function rememberFullVerification(client: ChainReader, report: VerifyReport): Promise<void> {
  if (report.ok) {
    await client.$queryRaw`
      INSERT INTO audit_verified_head (id, seq, hash, occurred_at, verified_at, fully_verified_at)
      VALUES (1, ${report.lastSeq}, ${report.lastHash}, ${report.lastOccurredAt}::timestamptz, now(), now())
      ON CONFLICT (id) DO UPDATE SET
        seq = greatest(audit_verified_head.seq, EXCLUDED.seq),
        hash = CASE WHEN EXCLUDED.seq >= audit_verified_head.seq THEN EXCLUDED.hash ELSE audit_verified_head.hash END,
        occurred_at = CASE WHEN EXCLUDED.seq >= audit_verified_head.seq THEN EXCLUDED.occurred_at ELSE audit_verified_head.occurred_at END,
        verified_at = now(), fully_verified_at = now(),
        broken_seq = NULL, broken_reason = NULL, broken_message = NULL, broken_at = NULL`;
    return;
  }
  const broken = report.firstBroken;
  if (!broken) return;
  await client.$queryRaw`
    INSERT INTO audit_verified_head (id, seq, hash, verified_at, broken_seq, broken_reason, broken_message, broken_at)
    VALUES (1, 0, ${GENESIS_HASH}, now(), ${broken.seq}, ${broken.reason}, ${broken.message}, now())
    ON CONFLICT (id) DO UPDATE SET broken_seq = EXCLUDED.broken_seq, broken_reason = EXCLUDED.broken_reason, broken_message = EXCLUDED.broken_message, broken_at = now()`;
}

export type VerifiedChainStatus = {
  ok: boolean;
  scope: "verified";
  /** The chain is proven, event by event from the first, up to this event (0: none yet). */
  verifiedSeq: number;
  verifiedHash: string;
  /** When the event at verifiedSeq happened, and when the chain was last verified up to it. */
  verifiedOccurredAt: string | null;
  verifiedAt: string | null;
  /** The chain head's seq: what the writers have appended. */
  headSeq: number;
  /** Events appended but not verified yet (beyond VERIFY_PER_VIEW): the next views verify them. */
  unverified: number;
  /** Events this view verified. */
  checkedNow: number;
  /** When a full verification last passed (null: never). */
  fullyVerifiedAt: string | null;
  firstBroken?: ChainBreak;
  /** The break was found by a full verification at this time (it stands until one passes). */
  brokenFoundAt?: string;
};

/**
 * The history badge's check, O(1) per view: continues verification from the remembered verified
 * head through the events appended since (at most `limit`), checks that the event there still
 * carries the hash it was verified with, that the chain ends where the head says and that no
 * committed event is left unchained; then remembers how far it got.
 */
export async function readVerifiedChainStatus(options: { client?: ChainReader; limit?: number } = {}): Promise<VerifiedChainStatus> {
  const client = options.client ?? db;
  const limit = Math.max(1, Math.min(options.limit ?? VERIFY_PER_VIEW, 100_000));
  const [state] = await client.$queryRaw<VerifiedHeadRow[]>`
    SELECT h.seq AS head_seq, h.hash AS head_hash, v.seq, v.hash, v.occurred_at, v.verified_at, v.fully_verified_at, v.broken_seq, v.broken_reason, v.broken_message, v.broken_at,
           ARRAY(SELECT a.hash FROM audit_events a WHERE a.seq = v.seq ORDER BY a.id LIMIT 2) AS at_verified
    FROM (SELECT 1 AS id) one LEFT JOIN audit_chain_head h ON h.id = 1 LEFT JOIN audit_verified_head v ON v.id = 1`;
  const from = { seq: state?.seq ?? 0n, hash: state?.hash ?? GENESIS_HASH };
  const base = {
    scope: "verified" as const,
    verifiedSeq: Number(from.seq),
    verifiedHash: from.hash,
    verifiedOccurredAt: state?.occurred_at?.toISOString() ?? null,
    verifiedAt: state?.verified_at?.toISOString() ?? null,
    headSeq: Number(state?.head_seq ?? 0n),
    unverified: Math.max(0, Number((state?.head_seq ?? 0n) - from.seq)),
    checkedNow: 0,
    fullyVerifiedAt: state?.fully_verified_at?.toISOString() ?? null,
  };
  const fail = (firstBroken: ChainBreak, extra: Partial<VerifiedChainStatus> = {}): VerifiedChainStatus => ({ ...base, ok: false, firstBroken, ...extra });
  if (state?.broken_seq != null) {
    const reason = (state.broken_reason ?? "broken_link") as BreakReason;
    return fail({ seq: Number(state.broken_seq), id: null, reason, message: state.broken_message ?? "" }, state.broken_at ? { brokenFoundAt: state.broken_at.toISOString() } : {});
  }
  if (state?.head_seq == null || state.head_hash == null) {
    return fail({ seq: 0, id: null, reason: "head_mismatch", message: "The chain head row (audit_chain_head) is missing." });
  }
  const head = { seq: state.head_seq, hash: state.head_hash };
  if (head.seq < from.seq) {
    return fail({ seq: Number(head.seq) + 1, id: null, reason: "truncated", message: `The chain head names seq ${head.seq}, but the chain was verified up to seq ${from.seq}: the newest events were removed.` });
  }
  // The remembered event still carries the hash it was verified with (its hash covers everything
  // before it, so a rewrite up to there shows), then the events after it, up to the head (or the
  // view's share).
  if (from.seq > 0n) {
    const hashes = state.at_verified ?? [];
    if (hashes.length !== 1 || hashes[0] !== from.hash) {
      const message = hashes.length === 0 ? `Seq ${from.seq}, verified earlier, is missing.` : hashes.length > 1 ? `Seq ${from.seq} is claimed by more than one event.` : `Seq ${from.seq} no longer carries the hash it was verified with (${from.hash.slice(0, 16)}…).`;
      return fail({ seq: Number(from.seq), id: null, reason: "verified_mismatch", message });
    }
  }
  if (head.seq === from.seq && head.hash !== from.hash) {
    return fail({ seq: Number(head.seq), id: null, reason: "head_mismatch", message: `The chain head names another hash for seq ${head.seq} than the event verified there.` });
  }
  const upTo = head.seq - from.seq > BigInt(limit) ? from.seq + BigInt(limit) : head.seq;
  const events = upTo > from.seq
    ? await client.$queryRaw<AuditEventRow[]>`
        SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_events
        WHERE seq > ${from.seq} AND seq <= ${upTo} ORDER BY seq, id LIMIT ${limit + 1}`
    : [];
  const verifier = new ChainVerifier({ start: from, anchors: upTo === head.seq ? [{ seq: head.seq, hash: head.hash, source: "head" }] : [] });
  for (const row of events) {
    if (!verifier.push(toChainedEvent(row))) break;
  }
  const report = verifier.finish();
  if (!report.ok && report.firstBroken) return fail(report.firstBroken, { checkedNow: report.checked });
  const [extra] = await client.$queryRaw<{ pending: bigint; beyond: boolean }[]>`
    SELECT (SELECT count(*) FROM audit_pending_events) AS pending, EXISTS (SELECT 1 FROM audit_events WHERE seq > ${head.seq}) AS beyond`;
  if (extra && extra.pending > 0n) {
    return fail({ seq: Number(head.seq) + 1, id: null, reason: "unchained_events", message: `${extra.pending} committed event(s) were never appended to the chain (left in audit_pending_events).` });
  }
  if (extra?.beyond) {
    return fail({ seq: Number(head.seq) + 1, id: null, reason: "head_mismatch", message: `Events from seq ${head.seq + 1n} on lie beyond the chain head (seq ${head.seq}): they were not appended through it.` });
  }
  const reached = BigInt(report.lastSeq);
  let verifiedAt = base.verifiedAt;
  if (reached > from.seq) {
    // Only from the position this view started at: another view that got further first wins.
    const [moved] = await client.$queryRaw<{ verified_at: Date }[]>`
      INSERT INTO audit_verified_head AS v (id, seq, hash, occurred_at, verified_at)
      VALUES (1, ${reached}, ${report.lastHash}, ${report.lastOccurredAt}::timestamptz, now())
      ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, occurred_at = EXCLUDED.occurred_at, verified_at = EXCLUDED.verified_at
      WHERE v.seq = ${from.seq} AND v.hash = ${from.hash} AND v.broken_seq IS NULL
      RETURNING v.verified_at`;
    verifiedAt = moved?.verified_at.toISOString() ?? new Date().toISOString();
  }
  return {
    ...base,
    ok: true,
    verifiedSeq: report.lastSeq,
    verifiedHash: report.lastHash,
    verifiedOccurredAt: reached > from.seq ? report.lastOccurredAt : base.verifiedOccurredAt,
    verifiedAt,
    unverified: Number(head.seq - reached),
    checkedNow: report.checked,
  };
}

/** The history badge's status (see readVerifiedChainStatus), for auditors and admins. */
export async function getVerifiedChainStatus(actor: Actor, options: { limit?: number } = {}): Promise<VerifiedChainStatus> {
  assertCan(actor, "audit.viewAll", { kind: "global" });
  return readVerifiedChainStatus(options);
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
