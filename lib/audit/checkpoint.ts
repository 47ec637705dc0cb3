import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { deriveCheckpointKey, isCheckpointSignatureValid, signCheckpoint, type Checkpoint, type CheckpointBody } from "@/lib/audit/chain";
import { checkpointSchema } from "@/lib/audit/schema";

// Checkpoints are signed with HMAC-SHA256 under a key derived from AUDIT_CHECKPOINT_SECRET when
// set, else from AUTH_SECRET. A dedicated secret lets AUTH_SECRET be rotated (which signs
// everyone out) without invalidating the checkpoints auditors keep.

export function checkpointKey(): Buffer {
  const config = env();
  return deriveCheckpointKey(config.AUDIT_CHECKPOINT_SECRET ?? config.AUTH_SECRET);
}

export function signAuditCheckpoint(body: CheckpointBody): Checkpoint {
  return signCheckpoint(body, checkpointKey());
}

/** A checkpoint from untrusted input (a file, a request): its shape, then its signature. */
export function parseSignedCheckpoint(input: unknown): Checkpoint {
  const checkpoint = parseInput(checkpointSchema, input);
  if (!isCheckpointSignatureValid(checkpoint, checkpointKey())) {
    throw new AppError("INVALID_INPUT", "The checkpoint's signature does not match: it was altered, or signed with another secret.", {
      signature: ["Does not match this installation's checkpoint key."],
    });
  }
  return checkpoint;
}
