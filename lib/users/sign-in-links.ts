import { createHash, randomBytes } from "node:crypto";
import type { Tx } from "@/lib/db";

// Sign-in links: a random token in a URL that lets its holder set a user's password once. The
// database keeps only the token's SHA-256, so someone who reads the table cannot use a link;
// SHA-256 without salt suffices because the token is 32 random bytes, not something guessable.

/** How long a link works after it was made: a new account's, and a password reset's. */
export const SIGN_IN_LINK_HOURS = 24;
export const RESET_LINK_HOURS = 1;

const TOKEN_BYTES = 32;

export function newSignInLinkToken(): string {
  return randomBytes(TOKEN_BYTES).toString("base64url");
}

export function hashSignInLinkToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** The page the link opens, under the public base URL (which may carry a path prefix). */
export function signInLinkUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/set-password?token=${token}`;
}

/** Makes a link for the user inside the caller's transaction; the token is returned once, never stored. */
export async function createSetPasswordLink(tx: Tx, userId: string, purpose: "SET_PASSWORD" | "RESET_PASSWORD" = "SET_PASSWORD"): Promise<{ id: string; token: string; expiresAt: Date }> {
  const token = newSignInLinkToken();
  const hours = purpose === "RESET_PASSWORD" ? RESET_LINK_HOURS : SIGN_IN_LINK_HOURS;
  const link = await tx.signInLink.create({
    data: { userId, tokenHash: hashSignInLinkToken(token), purpose, expiresAt: new Date(Date.now() + hours * 3_600_000) },
    select: { id: true, expiresAt: true },
  });
  return { id: link.id, token, expiresAt: link.expiresAt };
}

export const SIGN_IN_LINK_MESSAGES = {
  used: "This link has already been used.",
  expired: "This link has expired: ask for a new one (Forgot your password? on the sign-in page), or ask an admin.",
  unknown: "This link is not valid.",
} as const;

export type SignInLinkRefusal = keyof typeof SIGN_IN_LINK_MESSAGES;

/**
 * Why a stored link no longer works, or null while it does. A link of a disabled user is not
 * valid: disabling someone must not leave them a way back in.
 */
export function signInLinkRefusal(link: { usedAt: Date | null; expiresAt: Date; user: { disabledAt: Date | null } } | null, now: Date): SignInLinkRefusal | null {
  if (!link || link.user.disabledAt) return "unknown";
  if (link.usedAt) return "used";
  if (link.expiresAt.getTime() <= now.getTime()) return "expired";
  return null;
}
