import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { isCommonPassword } from "@/lib/users/common-passwords";
import { changePasswordSchema, createUserSchema, passwordIsEmail, passwordSchema, setPasswordSchema, signInSchema } from "@/lib/users/schema";

// The rules for a new password: 12 to 256 characters of anything, compared in NFC, no
// composition rules, not a common password, not the account's email.

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

const token = "A".repeat(43);

describe("new passwords", () => {
  it("accept 12 characters of anything, with no composition rules", () => {
    for (const password of ["aaaaaaaaaaab", "correct horse", "twelve chars", "ÉTÉ à la mer!", "パスワードはとても長いです", "🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂"]) {
      expect(passwordSchema.safeParse(password).success, password).toBe(true);
    }
  });

  it("count characters, not UTF-16 units: 11 emoji are too short, 256 of them are allowed, 257 are not", () => {
    expect(passwordSchema.safeParse("🙂".repeat(11)).success).toBe(false);
    expect(passwordSchema.safeParse("🙂".repeat(256)).success).toBe(true);
    expect(passwordSchema.safeParse("🙂".repeat(257)).success).toBe(false);
    expect(passwordSchema.safeParse("x".repeat(256)).success).toBe(true);
  });

  it("refuse fewer than 12 characters and more than 256, saying so", () => {
    expect(passwordSchema.safeParse("elevenchars").error?.issues.map((issue) => issue.message)).toEqual(["Password must be at least 12 characters."]);
    expect(passwordSchema.safeParse("x".repeat(257)).error?.issues.map((issue) => issue.message)).toEqual(["Password must be at most 256 characters."]);
  });

  it("normalise to NFC, so é typed as one code point or as e and an accent is the same password", () => {
    const composed = "caf\u00e9 au lait!";
    const decomposed = "cafe\u0301 au lait!";
    expect(composed).not.toBe(decomposed);
    expect(passwordSchema.parse(decomposed)).toBe(composed);
    expect(signInSchema.parse({ email: "a@shipshape.test", password: decomposed }).password).toBe(composed);
  });

  it("refuse the most common passwords whatever their case, and let uncommon ones through", () => {
    for (const common of ["1q2w3e4r5t6y", "qwertyuiop123", "QWERTYUIOP123", "LeaveMeAlone", "123qweasdzxc"]) {
      expect(isCommonPassword(common), common).toBe(true);
      expect(passwordSchema.safeParse(common).error?.issues.map((issue) => issue.message), common).toEqual(["This password is one of the most common ones: choose another."]);
    }
    expect(isCommonPassword("123456")).toBe(true);
    expect(isCommonPassword("walrus ledger tangerine")).toBe(false);
  });

  it("refuse the account's own email, whatever its case", () => {
    expect(passwordIsEmail("Ada.Lovelace@Shipshape.test", "ada.lovelace@shipshape.test")).toBe(true);
    expect(passwordIsEmail("ada.lovelace@shipshape.test2", "ada.lovelace@shipshape.test")).toBe(false);
    const error = refusal(() => parseInput(createUserSchema, { email: "ada.lovelace@shipshape.test", name: "Ada", password: "ADA.LOVELACE@shipshape.test" }));
    expect(error.fieldErrors).toEqual({ password: ["The password must not be your email address."] });
  });

  it("must be typed the same twice; the error names the second field", () => {
    const error = refusal(() => parseInput(setPasswordSchema, { token, password: "walrus ledger tangerine", confirmPassword: "walrus ledger tangerin" }));
    expect(error.fieldErrors).toEqual({ confirmPassword: ["The two passwords differ."] });
    expect(parseInput(setPasswordSchema, { token, password: "cafe\u0301 au lait!", confirmPassword: "caf\u00e9 au lait!" }).password).toBe("caf\u00e9 au lait!");
  });

  it("name the field in every error of a password change", () => {
    const error = refusal(() => parseInput(changePasswordSchema, { currentPassword: "", password: "short", confirmPassword: "short" }));
    expect(Object.keys(error.fieldErrors ?? {}).sort()).toEqual(["currentPassword", "password"]);
  });

  it("take a link's token only in the shape the links are made in", () => {
    expect(setPasswordSchema.safeParse({ token: "not a token", password: "walrus ledger tangerine", confirmPassword: "walrus ledger tangerine" }).error?.issues[0]?.path).toEqual(["token"]);
  });
});
