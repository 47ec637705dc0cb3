import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  ChainVerifier,
  GENESIS_HASH,
  canonicalContentText,
  canonicalJson,
  checkpointAnchor,
  compareCodePoints,
  contentHash,
  deriveCheckpointKey,
  hashEvent,
  isCheckpointSignatureValid,
  linkText,
  signCheckpoint,
  toStoredJson,
  type ChainedEvent,
  type ChainedEventContent,
  type Checkpoint,
  type WithheldEvent,
} from "@/lib/audit/chain";

describe("canonicalJson", () => {
  it("sorts object keys at every depth and keeps array order, without whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1, 2], c: null } })).toBe('{"a":{"c":null,"d":[3,1,2]},"b":1}');
    // Integer-like keys, which JavaScript enumerates first, are sorted as strings too.
    expect(canonicalJson({ b: 0, 10: 0, 2: 0, a: 0 })).toBe('{"10":0,"2":0,"a":0,"b":0}');
    expect(canonicalJson({})).toBe("{}");
    expect(canonicalJson([])).toBe("[]");
  });

  it("orders keys by Unicode code point (UTF-8 byte order), not by UTF-16 unit", () => {
    // U+E000 (private use) < U+1F600 (😀) by code point, though "😀" starts with the unit 0xD83D < 0xE000.
    expect(canonicalJson({ "😀": 1, "\uE000": 2, z: 3, é: 4, Z: 5, a: 6, aa: 7 })).toBe('{"Z":5,"a":6,"aa":7,"z":3,"é":4,"\uE000":2,"😀":1}');
    expect(["😀", "\uE000"].sort()).toEqual(["😀", "\uE000"]); // what a plain sort would do
    const keys = ["😀", "\uE000", "\uFFFF", "z", "é", "𝄞", "A"];
    const byBytes = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")));
    expect([...keys].sort(compareCodePoints)).toEqual(byBytes);
  });

  it("escapes strings as JSON.stringify does: quotes, backslashes and control characters only", () => {
    expect(canonicalJson('say "hi"\\ \n\t\u0001\u001f')).toBe('"say \\"hi\\"\\\\ \\n\\t\\u0001\\u001f"');
    // Non-ASCII is written as is, including U+2028 and astral characters.
    expect(canonicalJson("Zoë ✓ \u2028 😀 日本")).toBe('"Zoë ✓ \u2028 😀 日本"');
    expect(canonicalJson({ "ke\"y": "v" })).toBe('{"ke\\"y":"v"}');
  });

  it("writes numbers as JavaScript does, bigints as integers", () => {
    expect(canonicalJson([0, -0, 1, -1.5, 0.1, 1e21, 1e-7, 0.000001, 123456789012, 2 ** 53])).toBe("[0,0,1,-1.5,0.1,1e+21,1e-7,0.000001,123456789012,9007199254740992]");
    expect(canonicalJson(12345678901234567890n)).toBe("12345678901234567890");
    expect(canonicalJson({ id: 42n })).toBe('{"id":42}');
  });

  it("writes null, true and false; refuses what is not JSON", () => {
    expect(canonicalJson(null)).toBe("null");
    expect(canonicalJson([true, false, null])).toBe("[true,false,null]");
    expect(canonicalJson(Object.assign(Object.create(null) as object, { b: 1, a: 2 }))).toBe('{"a":2,"b":1}');
    for (const bad of [undefined, NaN, Infinity, new Date(0), new Map(), () => 1, Symbol("s"), { a: undefined }, [undefined]]) {
      expect(() => canonicalJson(bad), String(bad)).toThrow(TypeError);
    }
  });
});

describe("toStoredJson: what a JSON column gives back", () => {
  it("turns Dates into ISO strings, drops undefined properties, NaN to null, absent to null", () => {
    const value = { at: new Date("2026-11-23T13:43:54.9Z"), gone: undefined, n: NaN, list: [undefined, 1], nested: { ok: true } };
    expect(toStoredJson(value)).toEqual({ at: "2026-11-23T13:43:54.900Z", n: null, list: [null, 1], nested: { ok: true } });
    expect(toStoredJson(undefined)).toBeNull();
    expect(toStoredJson(null)).toBeNull();
    expect(canonicalJson(toStoredJson(value))).toBe('{"at":"2026-11-23T13:43:54.900Z","list":[null,1],"n":null,"nested":{"ok":true}}');
  });
});

const content: ChainedEventContent = {
  seq: 7n,
  prevHash: "ab".repeat(32),
  occurredAt: new Date("2026-11-23T13:43:54.9Z"),
  actorId: "0f8fad5b-d9cb-469f-a165-70867728950e",
  actorName: "Zoë Ops",
  actorEmail: "zoe@example.com",
  action: "item.updated",
  entityType: "item",
  entityId: "c7b4",
  projectId: null,
  before: { status: "TODO", version: 1 },
  after: { version: 2, status: "DONE" },
  requestId: null,
};

describe("canonicalContentText, contentHash, linkText and hashEvent", () => {
  it("serializes the content's fields, keys sorted, occurredAt with milliseconds; then the link", () => {
    expect(canonicalContentText(content)).toBe(
      '{"action":"item.updated","actorEmail":"zoe@example.com","actorId":"0f8fad5b-d9cb-469f-a165-70867728950e","actorName":"Zoë Ops",' +
        '"after":{"status":"DONE","version":2},"before":{"status":"TODO","version":1},"entityId":"c7b4","entityType":"item",' +
        '"occurredAt":"2026-11-23T13:43:54.900Z","projectId":null,"requestId":null}',
    );
    expect(linkText({ contentHash: "cd".repeat(32), prevHash: "ab".repeat(32), seq: 7n })).toBe(`{"contentHash":"${"cd".repeat(32)}","prevHash":"${"ab".repeat(32)}","seq":7}`);
  });

  it("hashes the UTF-8 bytes of those texts with SHA-256, pinned so the format cannot drift unnoticed", () => {
    // The pinned values were cross-checked with Python: sha256(json.dumps(value, sort_keys=True,
    // separators=(",", ":"), ensure_ascii=False).encode()), first of the content, then of
    // {"contentHash", "prevHash", "seq"}.
    const sha256 = (text: string) => createHash("sha256").update(Buffer.from(text, "utf8")).digest("hex");
    expect(contentHash(content)).toBe(sha256(canonicalContentText(content)));
    expect(contentHash(content)).toBe("41350a119dae8575f3f06db7726a2562826a3bc10bca5c2c9def45fdfd5c9d79");
    expect(hashEvent(content)).toBe(sha256(linkText({ contentHash: contentHash(content), prevHash: content.prevHash, seq: content.seq })));
    expect(hashEvent(content)).toBe("3cebd4fb93161ef4d468fbf4415e84cd05486070e0db45cab8b5546df77476a3");
  });

  it("changes with any field, including prevHash, seq and the time's milliseconds", () => {
    const variants: Partial<ChainedEventContent>[] = [
      { seq: 8n },
      { prevHash: GENESIS_HASH },
      { occurredAt: new Date("2026-11-23T13:43:54.901Z") },
      { actorId: null },
      { actorName: "Zoe Ops" },
      { actorEmail: "zoe@example.org" },
      { action: "item.assigned" },
      { entityType: "project" },
      { entityId: null },
      { projectId: "0f8fad5b-d9cb-469f-a165-70867728950e" },
      { before: null },
      { after: { version: 2, status: "DONE", note: "" } },
      { requestId: "req-1" },
    ];
    const hashes = new Set(variants.map((variant) => hashEvent({ ...content, ...variant })));
    expect(hashes.size).toBe(variants.length);
    expect(hashes.has(hashEvent(content))).toBe(false);
  });

  it("does not depend on the key order of before/after or on absent vs null JSON", () => {
    expect(hashEvent({ ...content, after: { status: "DONE", version: 2 } })).toBe(hashEvent(content));
    expect(hashEvent({ ...content, before: undefined })).toBe(hashEvent({ ...content, before: null }));
  });
});

/** A valid chain of n events, as the writer would make it. */
function makeChain(n: number): ChainedEvent[] {
  const events: ChainedEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let index = 1; index <= n; index++) {
    const event: ChainedEventContent = { ...content, seq: BigInt(index), prevHash, entityId: `e${index}`, occurredAt: new Date(Date.UTC(2026, 10, 23, 12, 0, index)) };
    const hash = hashEvent(event);
    events.push({ ...event, hash, id: BigInt(100 + index) });
    prevHash = hash;
  }
  return events;
}

function verify(events: (ChainedEvent | WithheldEvent)[], options: ConstructorParameters<typeof ChainVerifier>[0] = {}) {
  const verifier = new ChainVerifier(options);
  for (const event of events) if (!verifier.push(event)) break;
  return verifier.finish();
}

/** Recomputes the hashes (and links) of events from `from` on, as a forger who knows the format would. */
function rehash(events: ChainedEvent[], from: number): ChainedEvent[] {
  const out = events.map((event) => ({ ...event }));
  for (let index = from; index < out.length; index++) {
    const event = out[index] as ChainedEvent;
    event.prevHash = index === 0 ? GENESIS_HASH : (out[index - 1] as ChainedEvent).hash;
    event.hash = hashEvent(event);
  }
  return out;
}

describe("ChainVerifier", () => {
  const chain = makeChain(6);
  const at = (index: number) => chain[index] as ChainedEvent;

  it("accepts an intact chain and reports its end", () => {
    expect(verify(chain)).toEqual({ ok: true, checked: 6, lastSeq: 6, lastHash: at(5).hash, lastOccurredAt: at(5).occurredAt.toISOString() });
    expect(verify([])).toEqual({ ok: true, checked: 0, lastSeq: 0, lastHash: GENESIS_HASH, lastOccurredAt: null });
  });

  it("names an edited event: content_edited", () => {
    const edited = chain.map((event, index) => (index === 2 ? { ...event, after: { status: "WAIVED", version: 2 } } : event));
    expect(verify(edited)).toMatchObject({ ok: false, checked: 2, lastSeq: 2, firstBroken: { seq: 3, id: "103", reason: "content_edited" } });
  });

  it("names the event after one edited and re-hashed: broken_link", () => {
    const forged = chain.map((event, index) => (index === 2 ? { ...event, actorName: "Someone Else" } : event));
    const rehashed = forged.map((event, index) => (index === 2 ? { ...event, hash: hashEvent(event) } : event));
    expect(verify(rehashed).firstBroken).toMatchObject({ seq: 4, id: "104", reason: "broken_link" });
  });

  it("names the event after a deleted one: seq_gap; and a chain not starting at 1", () => {
    expect(verify(chain.filter((_, index) => index !== 2)).firstBroken).toMatchObject({ seq: 4, id: "104", reason: "seq_gap", message: expect.stringContaining("seq 3 is missing") });
    expect(verify(chain.slice(2)).firstBroken).toMatchObject({ seq: 3, reason: "seq_gap", message: expect.stringContaining("seqs 1–2 are missing") });
  });

  it("names a deletion whose followers were renumbered: broken_link", () => {
    const renumbered = chain.filter((_, index) => index !== 2).map((event, index) => ({ ...event, seq: BigInt(index + 1) }));
    expect(verify(renumbered).firstBroken).toMatchObject({ seq: 3, id: "104", reason: "broken_link" });
  });

  it("names an inserted event claiming an existing seq: duplicate_seq", () => {
    const forged = { ...at(2), entityId: "forged", id: 999n };
    const withForged = [...chain.slice(0, 3), { ...forged, hash: hashEvent(forged) }, ...chain.slice(3)];
    expect(verify(withForged).firstBroken).toMatchObject({ seq: 3, id: "999", reason: "duplicate_seq" });
  });

  it("names the event after an inserted, correctly hashed one: broken_link", () => {
    const forged: ChainedEventContent = { ...at(2), seq: 4n, prevHash: at(2).hash, entityId: "forged" };
    const inserted = [...chain.slice(0, 3), { ...forged, hash: hashEvent(forged), id: 999n }, ...chain.slice(3).map((event) => ({ ...event, seq: event.seq + 1n }))];
    expect(verify(inserted).firstBroken).toMatchObject({ seq: 5, id: "104", reason: "broken_link" });
  });

  it("names swapped events: broken_link at the first; out-of-order input too", () => {
    const swapped = chain.map((event, index) => (index === 1 ? { ...at(4), seq: 2n } : index === 4 ? { ...at(1), seq: 5n } : event));
    expect(verify(swapped).firstBroken).toMatchObject({ seq: 2, id: "105", reason: "broken_link" });
    const reordered = [at(0), at(2), at(1)];
    expect(verify(reordered).firstBroken).toMatchObject({ seq: 3, reason: "seq_gap" });
    expect(verify([at(0), at(1), at(0)]).firstBroken).toMatchObject({ seq: 1, reason: "broken_link", message: expect.stringContaining("out of order") });
  });

  it("finds truncation and rewriting only against an anchor (checkpoint or head)", () => {
    const checkpoint = { seq: 6n, hash: at(5).hash, source: "checkpoint" as const };
    expect(verify(chain.slice(0, 4))).toMatchObject({ ok: true, lastSeq: 4 });
    expect(verify(chain.slice(0, 4), { anchors: [checkpoint] })).toMatchObject({ ok: false, lastSeq: 4, firstBroken: { seq: 6, id: null, reason: "truncated" } });
    expect(verify(chain.slice(0, 4), { anchors: [{ ...checkpoint, source: "head" }] }).firstBroken).toMatchObject({ reason: "truncated", message: expect.stringContaining("chain head") });

    const rewritten = rehash(chain.map((event, index) => (index === 1 ? { ...event, actorName: "Rewritten" } : event)), 1);
    expect(verify(rewritten)).toMatchObject({ ok: true, checked: 6 });
    expect(verify(rewritten, { anchors: [checkpoint] }).firstBroken).toMatchObject({ seq: 6, id: "106", reason: "checkpoint_mismatch" });
    expect(verify(rewritten, { anchors: [{ ...checkpoint, source: "head" }] }).firstBroken).toMatchObject({ seq: 6, reason: "head_mismatch" });
    expect(verify(chain, { anchors: [checkpoint, { seq: 3n, hash: at(2).hash, source: "checkpoint" }] })).toMatchObject({ ok: true });
    // A rewrite found at a checkpoint proves only what an earlier checkpoint vouched for, never the rewritten events.
    const rewrittenLate = rehash(chain.map((event, index) => (index === 4 ? { ...event, actorName: "Rewritten" } : event)), 4);
    const earlier = { seq: 3n, hash: at(2).hash, source: "checkpoint" as const };
    expect(verify(rewrittenLate, { anchors: [earlier, checkpoint] })).toMatchObject({ ok: false, checked: 3, lastSeq: 3, lastHash: at(2).hash, firstBroken: { seq: 6, reason: "checkpoint_mismatch" } });
    expect(verify(rewrittenLate, { anchors: [checkpoint] })).toMatchObject({ ok: false, checked: 0, lastSeq: 0, firstBroken: { seq: 6, reason: "checkpoint_mismatch" } });
  });

  it("checks the links across events whose content is withheld, and still finds a forged one", () => {
    const withhold = (event: ChainedEvent): WithheldEvent => ({ id: event.id, seq: event.seq, prevHash: event.prevHash, hash: event.hash, contentHash: contentHash(event) });
    const filtered = chain.map((event, index) => (index % 2 ? withhold(event) : event));
    expect(verify(filtered)).toMatchObject({ ok: true, checked: 6, withheld: 3, lastSeq: 6, lastOccurredAt: null });
    const lying = filtered.map((event, index) => (index === 1 ? { ...withhold(at(1)), contentHash: "0".repeat(64) } : event));
    expect(verify(lying).firstBroken).toMatchObject({ seq: 2, reason: "content_edited" });
    expect(verify(filtered, { anchors: [{ seq: 6n, hash: at(5).hash, occurredAt: at(5).occurredAt.toISOString(), source: "checkpoint" }] })).toMatchObject({ ok: true });
  });

  it("continues from a trusted start", () => {
    expect(verify(chain.slice(3), { start: { seq: 3n, hash: at(2).hash } })).toMatchObject({ ok: true, checked: 3, lastSeq: 6 });
    expect(verify(chain.slice(3), { start: { seq: 3n, hash: at(1).hash } }).firstBroken).toMatchObject({ seq: 4, reason: "broken_link" });
  });
});

describe("checkpoint signatures", () => {
  const key = deriveCheckpointKey("s".repeat(32));
  const checkpoint = signCheckpoint({ seq: 6, hash: "cd".repeat(32), occurredAt: "2026-11-23T12:00:06.000Z", exportedAt: "2026-11-23T13:00:00.000Z" }, key);

  it("derives a 32-byte key per secret, and signs with HMAC-SHA256 in hex", () => {
    expect(key).toHaveLength(32);
    expect(deriveCheckpointKey("s".repeat(32)).equals(key)).toBe(true);
    expect(deriveCheckpointKey("t".repeat(32)).equals(key)).toBe(false);
    expect(checkpoint.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(isCheckpointSignatureValid(checkpoint, key)).toBe(true);
  });

  it.each<[string, Partial<Checkpoint>]>([
    ["seq", { seq: 7 }],
    ["hash", { hash: "ce".repeat(32) }],
    ["occurredAt", { occurredAt: "2026-11-23T12:00:06.001Z" }],
    ["exportedAt", { exportedAt: "2026-11-24T13:00:00.000Z" }],
    ["signature", { signature: `${checkpoint.signature.slice(0, 63)}${checkpoint.signature.endsWith("0") ? "1" : "0"}` }],
    ["signature (not hex)", { signature: "zz" }],
  ])("is invalid when %s is changed", (_, change) => {
    expect(isCheckpointSignatureValid({ ...checkpoint, ...change }, key)).toBe(false);
  });

  it("is invalid under another secret", () => {
    expect(isCheckpointSignatureValid(checkpoint, deriveCheckpointKey("t".repeat(32)))).toBe(false);
  });

  it("anchors a verifier at its seq and hash", () => {
    expect(checkpointAnchor(checkpoint)).toEqual({ seq: 6n, hash: checkpoint.hash, occurredAt: checkpoint.occurredAt, source: "checkpoint" });
  });
});
