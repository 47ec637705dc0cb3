import { describe, expect, it } from "vitest";
import { burnPasswordCheck, hashPassword, verifyPassword } from "@/lib/users/password";

describe("password hashing", () => {
  it("hashes with argon2id at OWASP's minimum cost (19 MiB, 2 iterations, 1 lane)", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(hash.startsWith("$argon2id$")).toBe(true);
    expect(hash).toContain("$m=19456,t=2,p=1$");
    expect(hash).not.toContain("correct horse battery staple");
  });

  it("salts every hash", async () => {
    const [first, second] = await Promise.all([hashPassword("same password twice"), hashPassword("same password twice")]);
    expect(first).not.toBe(second);
  });

  it("verifies the right password and refuses a wrong one", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(await verifyPassword(hash, "correct horse battery staple")).toBe(true);
    expect(await verifyPassword(hash, "correct horse battery stapler")).toBe(false);
    expect(await verifyPassword(hash, "")).toBe(false);
  });

  it.each(["", "not a hash", "$argon2id$v=19$m=19456,t=2,p=1$garbage", "$2b$10$abcdefghijklmnopqrstuu"])(
    "returns false (does not throw) for the garbage hash %j",
    async (garbage) => {
      await expect(verifyPassword(garbage, "anything at all")).resolves.toBe(false);
    },
  );

  it("burnPasswordCheck completes without revealing anything", async () => {
    await expect(burnPasswordCheck("whatever was typed")).resolves.toBeUndefined();
  });
});
