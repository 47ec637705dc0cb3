import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { decodeHistoryCursor, isHistoryCursorParam, parseHistoryFilter } from "@/lib/audit/history";

// The history's `before` cursor: the one nextCursor gives out is read back exactly; anything
// else is refused naming the field, never answered with the first page. tests/db/history.test.ts
// holds the REST route and the services to the same.

const GIVEN = "2026-01-01T00:00:00.000Z_42";

describe("decodeHistoryCursor", () => {
  it("reads back the cursors nextCursor gives out", () => {
    expect(decodeHistoryCursor(GIVEN)).toEqual({ occurredAt: new Date("2026-01-01T00:00:00.000Z"), id: 42n });
    expect(decodeHistoryCursor("2026-06-30T23:59:59.999Z_9223372036854775807")).toEqual({ occurredAt: new Date("2026-06-30T23:59:59.999Z"), id: 9_223_372_036_854_775_807n });
  });

  it.each([
    ["an id past PostgreSQL's bigint", "2026-01-01T00:00:00.000Z_9999999999999999999"],
    ["an id one past PostgreSQL's bigint", "2026-01-01T00:00:00.000Z_9223372036854775808"],
    ["an id of 20 digits", "2026-01-01T00:00:00.000Z_12345678901234567890"],
    ["garbage", "garbage"],
    ["no id", "2026-01-01T00:00:00.000Z_"],
    ["no time", "_42"],
    ["a negative id", "2026-01-01T00:00:00.000Z_-1"],
    ["a day that does not exist", "2026-02-30T00:00:00.000Z_42"],
    ["an hour that does not exist", "2026-01-01T25:00:00.000Z_42"],
    ["a time not written as the app writes it", "2026-01-01T00:00Z_42"],
    ["a time without its zone", "2026-01-01T00:00:00.000_42"],
    ["trailing text", `${GIVEN} OR 1=1`],
    ["a line break before the end", `${GIVEN}\n`],
  ])("refuses %s", (_what, cursor) => {
    expect(decodeHistoryCursor(cursor)).toBeNull();
  });
});

describe("isHistoryCursorParam", () => {
  it("takes no cursor or an empty one as the first page, and a given one", () => {
    expect(isHistoryCursorParam(undefined)).toBe(true);
    expect(isHistoryCursorParam("")).toBe(true);
    expect(isHistoryCursorParam(GIVEN)).toBe(true);
  });

  it("refuses a malformed one and a repeated parameter", () => {
    expect(isHistoryCursorParam("2026-01-01T00:00:00.000Z_9999999999999999999")).toBe(false);
    expect(isHistoryCursorParam([GIVEN, GIVEN])).toBe(false);
    expect(isHistoryCursorParam(42)).toBe(false);
  });
});

describe("parseHistoryFilter", () => {
  it("keeps a given cursor with the other filters", () => {
    expect(parseHistoryFilter({ before: GIVEN, q: "backup" })).toMatchObject({ before: GIVEN, q: "backup" });
    expect(parseHistoryFilter({}).before).toBeUndefined();
  });

  it("refuses a malformed cursor with INVALID_INPUT naming `before`", () => {
    for (const before of ["2026-01-01T00:00:00.000Z_9999999999999999999", "garbage", "x".repeat(500), ["a", "b"]]) {
      let thrown: unknown;
      try {
        parseHistoryFilter({ before });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(AppError);
      expect(thrown).toMatchObject({ code: "INVALID_INPUT", status: 422, fieldErrors: { before: [expect.any(String)] } });
    }
  });
});
