import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

// Secrets the server must read back later (an account email's link token on its way through the
// job queue, a person's authenticator secret) are stored sealed: AES-256-GCM under a key derived
// from AUTH_SECRET with HKDF, one key per purpose, so a reader of the database learns nothing
// from them and a seal made for one purpose does not open as another.

function sealKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "shipshape", purpose, 32));
}

export function seal(plaintext: string, secret: string, purpose: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealKey(secret, purpose), iv);
  const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64url");
}

/** The plaintext, or null when the seal was made with another secret or purpose, or altered. */
export function unseal(sealed: string, secret: string, purpose: string): string | null {
  try {
    const bytes = Buffer.from(sealed, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", sealKey(secret, purpose), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
