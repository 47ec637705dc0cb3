import { z } from "zod";

const isoTime = z.iso.datetime({ offset: true, error: "Must be an ISO 8601 time, e.g. 2026-11-23T13:43:54.948Z." });
const hexHash = z.string().regex(/^[0-9a-f]{64}$/, "Must be 64 lowercase hex digits.");

/** A signed checkpoint as `audit checkpoint` and GET /api/v1/audit/checkpoint export it. */
export const checkpointSchema = z.strictObject(
  {
    seq: z.number({ error: "Must be the event's position, a whole number of at least 1." }).int("Must be a whole number.").min(1, "Must be at least 1.").max(Number.MAX_SAFE_INTEGER),
    hash: hexHash,
    occurredAt: isoTime,
    exportedAt: isoTime,
    signature: hexHash,
  },
  { error: "A checkpoint is a JSON object with seq, hash, occurredAt, exportedAt and signature." },
);
export type CheckpointInput = z.output<typeof checkpointSchema>;
