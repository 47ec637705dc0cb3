import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { countSignInAttempt, signInRetryAfter } from "@/lib/users/sign-in-limits";

// The sign-in limits against the real PostgreSQL store every instance shares.

const email = () => `limited.${randomUUID().slice(0, 8)}@shipshape.test`;
const address = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}`;

async function fail(attempt: { email: string; address: string }, times: number) {
  for (let count = 0; count < times; count++) await countSignInAttempt(attempt, false);
}

describe("sign-in limits", () => {
  it("limit an account after ten failures whatever address each came from, for up to 15 minutes", async () => {
    const account = email();
    for (let count = 0; count < 10; count++) {
      expect(await signInRetryAfter({ email: account, address: address() })).toBe(0);
      await countSignInAttempt({ email: account, address: address() }, false);
    }
    const retryAfter = await signInRetryAfter({ email: account, address: address() });
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Another account from the same places is not affected.
    expect(await signInRetryAfter({ email: email(), address: address() })).toBe(0);
  });

  it("limit an address after a hundred failures across accounts, leaving other addresses free", async () => {
    const sprayer = address().replace("198.51.100", "192.0.2");
    for (let batch = 0; batch < 10; batch++) await Promise.all(Array.from({ length: 10 }, () => countSignInAttempt({ email: email(), address: sprayer }, false)));
    expect(await signInRetryAfter({ email: email(), address: sprayer })).toBeGreaterThan(0);
    expect(await signInRetryAfter({ email: email(), address: "203.0.113.77" })).toBe(0);
  });

  it("clear an account's count on a success, so a person who finally remembers is not punished later", async () => {
    const attempt = { email: email(), address: address() };
    await fail(attempt, 9);
    await countSignInAttempt(attempt, true);
    await fail(attempt, 9);
    expect(await signInRetryAfter(attempt)).toBe(0);
  });
});
