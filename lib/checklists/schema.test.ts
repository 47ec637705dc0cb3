import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { updateItemSchema } from "@/lib/checklists/schema";

describe("updateItemSchema: details", () => {
  const base = { itemId: randomUUID(), expectedVersion: 1 };

  it("accepts ordinary Markdown details", () => {
    expect(updateItemSchema.safeParse({ ...base, details: "See **the runbook** and `pg_dump`:\n\n- nightly\n- weekly" }).success).toBe(true);
  });

  it("refuses details whose shape would stall the Markdown renderer, naming the limit", () => {
    const result = updateItemSchema.safeParse({ ...base, details: `Note\n${"*_".repeat(2_000)}` });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ["details"], message: expect.stringMatching(/^Details: Line 2 has 4,000 emphasis markers .*the limit is 100\.$/) });
  });
});
