import { createHash, createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

// The one definition of the audit hash chain: how an event is serialized and hashed, how a
// stream of events is checked, and how a checkpoint is signed. The writer
// (lib/audit/mutations.ts), the database verifier (lib/audit/verify.ts) and the offline
// verifier of exports (scripts/verify-audit-export.ts) all use this file, and it depends on
// nothing but node:crypto, so that an auditor can read it whole.
//
// An event's hash is the SHA-256 (lowercase hex) of the UTF-8 bytes of the canonical JSON of
//   { contentHash, prevHash, seq }
// where prevHash is the previous event's hash (64 zeros before the first event), seq is a JSON
// integer, and contentHash is the SHA-256 of the canonical JSON of the event's content
//   { action, actorEmail, actorId, actorName, after, before, entityId, entityType, occurredAt,
//     projectId, requestId }
// with occurredAt as the ISO 8601 UTC time with milliseconds ("2026-11-23T13:43:54.948Z") and
// absent values as null. The database id is not covered: it is a storage key; seq is the
// position the chain vouches for.
//
// Two steps because the writer knows the content when it records the event, but the position
// only exists at commit, when the database appends the transaction's events under the chain
// head's lock (lib/audit/mutations.ts); the second step is simple enough to write in SQL there.
//
// Canonical JSON: no whitespace; object keys sorted by Unicode code point (the byte order of
// their UTF-8, as PostgreSQL's COLLATE "C" and Python's sorted() order them); strings escaped
// as JSON.stringify does (", \, and control characters only; everything else as is); numbers
// as JavaScript prints them (JSON.stringify: shortest round-trip form, 1e+21 and 1e-7 beyond
// that range). For JSON made by JavaScript this is RFC 8785 (JCS) except for the key order of
// keys outside the Basic Multilingual Plane.

/** The prevHash of the first event. */
export const GENESIS_HASH = "0".repeat(64);

const HEX64 = /^[0-9a-f]{64}$/;

export function isHash(value: unknown): value is string {
  return typeof value === "string" && HEX64.test(value);
}

/**
 * Orders strings by Unicode code point. UTF-16 code unit order differs only where a surrogate
 * (U+D800–U+DFFF, i.e. a character beyond U+FFFF) meets a unit in U+E000–U+FFFF: shifting
 * surrogates above that range restores code point order.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    let x = a.charCodeAt(index);
    let y = b.charCodeAt(index);
    if (x === y) continue;
    if (x >= 0xd800) x += x <= 0xdfff ? 0x2000 : -0x800;
    if (y >= 0xd800) y += y <= 0xdfff ? 0x2000 : -0x800;
    return x - y;
  }
  return a.length - b.length;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * The canonical JSON text of a JSON value (plain objects, arrays, strings, finite numbers,
 * booleans, null; bigints print as integers). Anything else (undefined, a Date, NaN, a class
 * instance) throws: pass values through toStoredJson first, as the database would store them.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      return value.toString();
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not a JSON number`);
      return JSON.stringify(value);
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(",")}]`;
      if (!isPlainObject(value)) throw new TypeError(`canonicalJson: a ${value.constructor?.name ?? "non-plain"} object is not JSON`);
      const keys = Object.keys(value).sort(compareCodePoints);
      return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(",")}}`;
    }
    default:
      throw new TypeError(`canonicalJson: ${typeof value} is not JSON`);
  }
}

/**
 * A value as a JSON column stores and returns it: what JSON.stringify keeps (Dates become ISO
 * strings, undefined properties vanish, NaN becomes null), parsed back. null/undefined → null.
 */
export function toStoredJson(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as unknown);
}

/** What an event says: everything its contentHash covers. */
export type AuditEventContent = {
  occurredAt: Date;
  actorId: string | null;
  actorName: string | null;
  actorEmail: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  projectId: string | null;
  /** JSON as stored (see toStoredJson); null when there is none. */
  before: unknown;
  after: unknown;
  requestId: string | null;
};

/** Everything an event's hash covers: its content and its place in the chain. */
export type ChainedEventContent = AuditEventContent & { seq: bigint; prevHash: string };

/** An event as stored: its content, its hash, and (for reports) its database id. */
export type ChainedEvent = ChainedEventContent & { hash: string; id: bigint | string | null };

/**
 * An event whose content is withheld (e.g. outside the project or dates a filtered export
 * covers): its contentHash stands in for the content, so the links around it still verify.
 */
export type WithheldEvent = { id: bigint | string | null; seq: bigint; prevHash: string; hash: string; contentHash: string };

export function isWithheld(event: ChainedEvent | WithheldEvent): event is WithheldEvent {
  return "contentHash" in event && !("action" in event);
}

/** The exact text whose SHA-256 is an event's contentHash. */
export function canonicalContentText(event: AuditEventContent): string {
  if (Number.isNaN(event.occurredAt.getTime())) throw new TypeError("canonicalContentText: occurredAt is not a valid date");
  return canonicalJson({
    action: event.action,
    actorEmail: event.actorEmail,
    actorId: event.actorId,
    actorName: event.actorName,
    after: event.after ?? null,
    before: event.before ?? null,
    entityId: event.entityId,
    entityType: event.entityType,
    occurredAt: event.occurredAt.toISOString(),
    projectId: event.projectId,
    requestId: event.requestId,
  });
}

/**
 * The exact text whose SHA-256 is an event's hash. Its twin in SQL, which the commit-time append
 * uses, is audit_link_hash() in the audit_hash_chain_backfill migration:
 * '{"contentHash":"' || c || '","prevHash":"' || p || '","seq":' || s || '}' (hex and digits
 * need no escaping).
 */
export function linkText(link: { contentHash: string; prevHash: string; seq: bigint }): string {
  return canonicalJson({ contentHash: link.contentHash, prevHash: link.prevHash, seq: link.seq });
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export function contentHash(event: AuditEventContent): string {
  return sha256Hex(canonicalContentText(event));
}

export function hashEvent(event: ChainedEventContent): string {
  return sha256Hex(linkText({ contentHash: contentHash(event), prevHash: event.prevHash, seq: event.seq }));
}

// Verification. Events are fed in chain order; the first one that does not fit is reported with
// the first reason that applies, in this order:
export const breakReasons = {
  /** Two events claim the same seq (one was inserted next to another). */
  duplicate_seq: "duplicate_seq",
  /** seq jumps: the events in between are missing (deleted), or the chain does not start at 1. */
  seq_gap: "seq_gap",
  /** prevHash is not the hash of the event before: events were deleted, inserted or reordered and renumbered. */
  broken_link: "broken_link",
  /** The stored hash is not the hash of the event's content: the event was edited. */
  content_edited: "content_edited",
  /** The chain ends before a position a trusted reference (checkpoint, chain head) says it reached. */
  truncated: "truncated",
  /** The event at a checkpoint's seq is not the one the checkpoint signed: the chain was rewritten up to there. */
  checkpoint_mismatch: "checkpoint_mismatch",
  /** The chain head row names another hash for its seq than the event there carries. */
  head_mismatch: "head_mismatch",
  /** Events were committed without joining the chain (left in audit_pending_events: the append trigger was off). */
  unchained_events: "unchained_events",
  /** The event at a position verified earlier (audit_verified_head) is gone or carries another hash: the chain was rewritten up to there. */
  verified_mismatch: "verified_mismatch",
} as const;

export type BreakReason = keyof typeof breakReasons;

export type ChainBreak = {
  seq: number;
  /** The database id of the offending event (null when the break is a missing event). */
  id: string | null;
  reason: BreakReason;
  message: string;
};

export type ChainReport = {
  ok: boolean;
  /**
   * Events proven intact, in order. When an anchor (a checkpoint, the chain head) disagrees with
   * the chain, the events before it link up but may have been rewritten with it: only those up to
   * the last anchor that agreed are counted (none, if none did). lastSeq and lastHash are that
   * last proven event's.
   */
  checked: number;
  /** Of those, how many had their content withheld (only their links were checked). */
  withheld?: number;
  /** The last intact event: the chain is proven up to here (0 and the genesis hash when empty; the time is null when withheld). */
  lastSeq: number;
  lastHash: string;
  lastOccurredAt: string | null;
  firstBroken?: ChainBreak;
};

/** A position a verifier is told to expect: where the chain must pass with this hash. */
export type ChainAnchor = { seq: bigint; hash: string; occurredAt?: string; source: "checkpoint" | "head" };

const toNumber = (seq: bigint) => Number(seq);
const idOf = (event: ChainedEvent | WithheldEvent) => (event.id === null ? null : event.id.toString());

/**
 * Checks a stream of events in seq order in constant memory: push each event, then finish().
 * `start` is a trusted position to continue from (default: before the first event); `anchors`
 * are positions the chain must pass with a given hash (a checkpoint, the chain head).
 */
type Position = { seq: bigint; hash: string; occurredAt: string | null; checked: number; withheld: number };

export class ChainVerifier {
  #lastSeq: bigint;
  #lastHash: string;
  #lastOccurredAt: string | null = null;
  #checked = 0;
  #withheld = 0;
  #broken: ChainBreak | undefined;
  readonly #anchors: ChainAnchor[];
  /** The last position an anchor agreed with (or the start): what an anchor mismatch falls back to. */
  #vouched: Position;

  constructor(options: { start?: { seq: bigint; hash: string }; anchors?: ChainAnchor[] } = {}) {
    this.#lastSeq = options.start?.seq ?? 0n;
    this.#lastHash = options.start?.hash ?? GENESIS_HASH;
    this.#anchors = [...(options.anchors ?? [])].sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
    this.#vouched = { seq: this.#lastSeq, hash: this.#lastHash, occurredAt: null, checked: 0, withheld: 0 };
  }

  /** After an anchor disagreed: the events since the last agreeing anchor are not proven, whatever their links say. */
  #fallBackToVouched(): void {
    this.#lastSeq = this.#vouched.seq;
    this.#lastHash = this.#vouched.hash;
    this.#lastOccurredAt = this.#vouched.occurredAt;
    this.#checked = this.#vouched.checked;
    this.#withheld = this.#vouched.withheld;
  }

  get broken(): ChainBreak | undefined {
    return this.#broken;
  }

  #fail(seq: bigint, id: string | null, reason: BreakReason, message: string): false {
    this.#broken = { seq: toNumber(seq), id, reason, message };
    return false;
  }

  /** Checks the next event; false once the chain is broken (further events are ignored). */
  push(event: ChainedEvent | WithheldEvent): boolean {
    if (this.#broken) return false;
    const id = idOf(event);
    const expected = this.#lastSeq + 1n;
    if (event.seq === this.#lastSeq) {
      return this.#fail(event.seq, id, "duplicate_seq", `Event ${id} repeats seq ${event.seq}: an event was inserted next to it.`);
    }
    if (event.seq < this.#lastSeq) {
      return this.#fail(event.seq, id, "broken_link", `Event ${id} (seq ${event.seq}) comes after seq ${this.#lastSeq}: events are out of order.`);
    }
    if (event.seq > expected) {
      const missing = event.seq - expected === 1n ? `seq ${expected} is` : `seqs ${expected}–${event.seq - 1n} are`;
      return this.#fail(event.seq, id, "seq_gap", `Expected seq ${expected}, found ${event.seq}: ${missing} missing.`);
    }
    if (event.prevHash !== this.#lastHash) {
      return this.#fail(event.seq, id, "broken_link", `Event ${id} (seq ${event.seq}) does not link to the event before it: one was deleted, inserted or moved.`);
    }
    const withheld = isWithheld(event);
    const content = withheld ? event.contentHash : contentHash(event);
    if (sha256Hex(linkText({ contentHash: content, prevHash: event.prevHash, seq: event.seq })) !== event.hash) {
      return this.#fail(event.seq, id, "content_edited", `Event ${id} (seq ${event.seq}) was changed after it was written: its content does not match its hash.`);
    }
    // A withheld event's time is unknown, but its hash covers it.
    const occurredAt = withheld ? null : event.occurredAt.toISOString();
    let anchored = false;
    for (const anchor of this.#anchors) {
      if (anchor.seq !== event.seq) continue;
      if (anchor.hash !== event.hash || (anchor.occurredAt !== undefined && occurredAt !== null && anchor.occurredAt !== occurredAt)) {
        this.#fallBackToVouched();
        const since = this.#vouched.seq === 0n ? "from the first event on" : `after seq ${this.#vouched.seq}, the last point vouched for`;
        return anchor.source === "checkpoint"
          ? this.#fail(event.seq, id, "checkpoint_mismatch", `Seq ${event.seq} is not the event the checkpoint signed: the chain was rewritten somewhere ${since}.`)
          : this.#fail(event.seq, id, "head_mismatch", `The chain head names another hash for seq ${event.seq} than the event there carries: the events or the head were changed somewhere ${since}.`);
      }
      anchored = true;
    }
    this.#lastSeq = event.seq;
    this.#lastHash = event.hash;
    this.#lastOccurredAt = occurredAt;
    this.#checked++;
    if (withheld) this.#withheld++;
    if (anchored) this.#vouched = { seq: event.seq, hash: event.hash, occurredAt, checked: this.#checked, withheld: this.#withheld };
    return true;
  }

  /** The report, once every event was pushed (or the chain broke). */
  finish(): ChainReport {
    if (!this.#broken) {
      const beyond = this.#anchors.filter((anchor) => anchor.seq > this.#lastSeq).at(-1);
      if (beyond) {
        const by = beyond.source === "checkpoint" ? "the checkpoint" : "the chain head";
        this.#fail(beyond.seq, null, "truncated", `The chain ends at seq ${this.#lastSeq}, but ${by} names seq ${beyond.seq}: the newest events were removed.`);
      }
    }
    return {
      ok: this.#broken === undefined,
      checked: this.#checked,
      ...(this.#withheld > 0 ? { withheld: this.#withheld } : {}),
      lastSeq: toNumber(this.#lastSeq),
      lastHash: this.#lastHash,
      lastOccurredAt: this.#lastOccurredAt,
      ...(this.#broken ? { firstBroken: this.#broken } : {}),
    };
  }
}

// Checkpoints: the position and hash of one event, signed with HMAC-SHA256 so that a copy kept
// elsewhere can prove later that the chain still passes there with that hash.

export type CheckpointBody = { seq: number; hash: string; occurredAt: string; exportedAt: string };
export type Checkpoint = CheckpointBody & { signature: string };

/** The key that signs checkpoints, derived (HKDF-SHA256) from a secret so it is used for nothing else. */
export function deriveCheckpointKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), Buffer.alloc(0), "shipshape audit checkpoint v1", 32));
}

/** What a checkpoint's signature covers: the canonical JSON of its four fields. */
export function checkpointSigningText(body: CheckpointBody): string {
  return canonicalJson({ exportedAt: body.exportedAt, hash: body.hash, occurredAt: body.occurredAt, seq: body.seq });
}

export function signCheckpoint(body: CheckpointBody, key: Buffer): Checkpoint {
  const signature = createHmac("sha256", key).update(checkpointSigningText(body), "utf8").digest("hex");
  return { seq: body.seq, hash: body.hash, occurredAt: body.occurredAt, exportedAt: body.exportedAt, signature };
}

export function isCheckpointSignatureValid(checkpoint: Checkpoint, key: Buffer): boolean {
  if (!isHash(checkpoint.signature)) return false;
  const expected = Buffer.from(signCheckpoint(checkpoint, key).signature, "hex");
  return timingSafeEqual(expected, Buffer.from(checkpoint.signature, "hex"));
}

/** The anchor a verifier checks a checkpoint with. */
export function checkpointAnchor(checkpoint: Checkpoint): ChainAnchor {
  return { seq: BigInt(checkpoint.seq), hash: checkpoint.hash, occurredAt: new Date(checkpoint.occurredAt).toISOString(), source: "checkpoint" };
}

/** What a broken report proves, for one-line summaries (the CLI and the offline script). */
export function provenPhrase(report: ChainReport): string {
  const reason = report.firstBroken?.reason;
  if (reason === "checkpoint_mismatch" || reason === "head_mismatch") {
    return report.checked === 0 ? "no event is proven intact: nothing before it was vouched for" : `${report.checked === 1 ? "1 event" : `${report.checked} events`} proven intact, through seq ${report.lastSeq}, the last point vouched for`;
  }
  return report.checked === 0 ? "no event before it is intact" : `${report.checked === 1 ? "1 event" : `${report.checked} events`} intact, through seq ${report.lastSeq}`;
}
