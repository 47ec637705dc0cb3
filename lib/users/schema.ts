import { z } from "zod";
import { isValidTimeZone } from "@/lib/time";
import { isCommonPassword } from "@/lib/users/common-passwords";
import { optionalField } from "@/lib/validation";

export const globalRoleSchema = z.enum(["ADMIN", "AUDITOR"]);

export const emailSchema = z
  .string({ error: "Email is required." })
  .trim()
  .toLowerCase()
  .pipe(z.email("Enter a valid email address.").max(254, "Email is too long."));

/**
 * Passwords are compared and hashed in Unicode NFC, so that the same characters typed on
 * different systems (é as one code point or as e + accent) are the same password. Sign-in
 * normalises the same way.
 */
export function normalizePassword(password: string): string {
  return password.normalize("NFC");
}

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** Length in characters as people count them (code points), not UTF-16 units. */
const characters = (text: string) => [...text].length;

/**
 * A new password: 12 to 256 characters of any kind, no composition rules (NIST SP 800-63B), and
 * not one of the most common passwords. That it differs from the account's email is checked
 * where the email is known (passwordIsEmail).
 */
export const passwordSchema = z
  .string({ error: "Password is required." })
  .transform(normalizePassword)
  .refine((password) => characters(password) >= PASSWORD_MIN_LENGTH, `Password must be at least ${PASSWORD_MIN_LENGTH} characters.`)
  .refine((password) => characters(password) <= PASSWORD_MAX_LENGTH, `Password must be at most ${PASSWORD_MAX_LENGTH} characters.`)
  .refine((password) => characters(password) < PASSWORD_MIN_LENGTH || characters(password) > PASSWORD_MAX_LENGTH || !isCommonPassword(password), "This password is one of the most common ones: choose another.");

/** Whether a password is the account's own email, which is the first thing anyone would try. */
export function passwordIsEmail(password: string, email: string): boolean {
  return normalizePassword(password).trim().toLowerCase() === email.normalize("NFC").trim().toLowerCase();
}

/** The rules in words, for the forms that ask for a new password. */
export const PASSWORD_RULES = `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters, any you like (spaces and accents too); not one of the most common passwords, and not your email address. A few unrelated words make a good one.`;

export const PASSWORD_IS_EMAIL = "The password must not be your email address.";

export const PASSWORDS_DIFFER = "The two passwords differ.";

const confirmPasswordSchema = z.string({ error: "Type the password again." }).transform(normalizePassword);

/** A new password typed twice: the error goes on the second field. */
function bothTheSame(value: { password: string; confirmPassword: string }, ctx: z.RefinementCtx): void {
  if (value.password !== value.confirmPassword) ctx.addIssue({ code: "custom", path: ["confirmPassword"], message: PASSWORDS_DIFFER });
}

/** The token of a sign-in link as it appears in the URL: 32 random bytes, base64url. */
export const signInLinkTokenSchema = z.string({ error: "This link is not valid." }).regex(/^[A-Za-z0-9_-]{43}$/, "This link is not valid.");

export const setPasswordSchema = z.object({ token: signInLinkTokenSchema, password: passwordSchema, confirmPassword: confirmPasswordSchema }).superRefine(bothTheSame);

export const changePasswordSchema = z
  .object({
    currentPassword: z.string({ error: "Enter your current password." }).min(1, "Enter your current password.").max(1024).transform(normalizePassword),
    password: passwordSchema,
    confirmPassword: confirmPasswordSchema,
  })
  .superRefine(bothTheSame);

/** Whose new set-password link the command line makes. */
export const newSignInLinkSchema = z.object({ email: emailSchema });

/** What the command line takes to create a user (no password: the person sets it with a link). */
export const createUserFromCliSchema = z.object({
  email: emailSchema,
  name: z.string({ error: "Name is required." }).trim().min(1, "Name is required.").max(120, "Name is too long."),
  admin: z.boolean(),
});

export const createUserSchema = z.object({
  email: emailSchema,
  name: z.string({ error: "Name is required." }).trim().min(1, "Name is required.").max(120, "Name is too long."),
  title: z.string().trim().max(120, "Title is too long.").default(""),
  /** Left empty: the person is invited by email and sets their own password. */
  password: optionalField(passwordSchema),
  globalRoles: z.array(globalRoleSchema).default([]),
}).superRefine((value, ctx) => {
  if (value.password !== undefined && passwordIsEmail(value.password, value.email)) ctx.addIssue({ code: "custom", path: ["password"], message: PASSWORD_IS_EMAIL });
});

export const setUserDisabledSchema = z.object({
  userId: z.uuid("Choose a user."),
  disabled: z.boolean(),
});

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string({ error: "Password is required." }).min(1, "Password is required.").max(1024).transform(normalizePassword),
});

export const setUserGlobalRolesSchema = z.object({
  userId: z.uuid("Choose a user."),
  globalRoles: z.array(globalRoleSchema, { error: "Choose the global roles." }).transform((roles) => [...new Set(roles)].sort()),
});

export const updatePreferencesSchema = z.object({
  /** An IANA zone, or "" to follow the browser's. */
  timeZone: z
    .string()
    .trim()
    .refine((value) => value === "" || isValidTimeZone(value), "Choose a time zone from the list."),
  emailNotifications: z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean()),
});

/**
 * A proof given with a signing request: the password, or a code from the person's authenticator
 * app (lib/users/mfa.ts); lib/users/proof.ts checks either.
 */
export const proofSchema = z.discriminatedUnion(
  "method",
  [
    z.object({ method: z.literal("password"), password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(1_024, "That is longer than any password.").transform(normalizePassword) }),
    z.object({ method: z.literal("totp"), code: z.string({ error: "Enter the code from your authenticator app." }).trim().regex(/^\d{6,8}$/, "Enter the code from your authenticator app (6 to 8 digits).") }),
  ],
  { error: "Choose how to prove who you are: password or code." },
);
export type Proof = z.infer<typeof proofSchema>;

/**
 * The proof fields a signing form or API body may carry: `password` (what the sign form sends),
 * `totpCode`, or a `proof` object as JSON. Spread into a mutation's schema; read with proofOf.
 */
export const proofFields = {
  // Not trimmed: spaces are part of a password. A blank field means no password was given.
  password: optionalField(z.string().max(1_024, "That is longer than any password.")),
  totpCode: optionalField(z.string().trim()),
  proof: proofSchema.optional(),
};

/** The proof a parsed input carries, if any: a `proof` object first, else the form's fields. */
export function proofOf(input: { password?: string | undefined; totpCode?: string | undefined; proof?: Proof | undefined }): Proof | undefined {
  if (input.proof) return input.proof;
  if (input.password !== undefined) return { method: "password", password: normalizePassword(input.password) };
  if (input.totpCode !== undefined) return { method: "totp", code: input.totpCode };
  return undefined;
}
