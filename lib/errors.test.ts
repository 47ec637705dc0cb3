import { describe, expect, it } from "vitest";
import { isDatabaseTimeout } from "@/lib/db-errors";
import { AppError, toAppError, toPublicError } from "@/lib/errors";

// What the database's "did not answer in time" errors look like by the time they reach a route
// or an action (tests/db/database-hang.test.ts produces the real ones through a hung connection).
describe("database timeouts", () => {
  const cases: [string, unknown][] = [
    ["node-postgres's query_timeout", new Error("Query read timeout")],
    ["the pool's wait for a connection", new Error("timeout exceeded when trying to connect")],
    ["a connection that could not open", new Error("Connection terminated due to connection timeout")],
    ["PostgreSQL's statement_timeout, wrapped by Prisma", Object.assign(new Error("Raw query failed"), { code: "P2010", cause: { originalCode: "57014", message: "canceling statement due to statement timeout" } })],
    ["a lock wait cancelled", Object.assign(new Error("x"), { cause: Object.assign(new Error("y"), { code: "55P03" }) })],
    ["a transaction that could not start in time", Object.assign(new Error("Transaction API error: Unable to start a transaction in the given time."), { code: "P2028" })],
  ];

  it.each(cases)("%s answers 503 with a retry hint", (_name, error) => {
    expect(isDatabaseTimeout(error)).toBe(true);
    expect(toAppError(error)).toMatchObject({ code: "UNAVAILABLE", status: 503, retryAfterSeconds: 5 });
    expect(toPublicError(error)).toEqual({ code: "UNAVAILABLE", message: "The database did not answer in time; try again shortly." });
  });

  it("takes a database that is restarting or down for one that did not answer: try again shortly", () => {
    for (const error of [
      new Error("Connection terminated unexpectedly"),
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
      Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }),
      Object.assign(new Error("the database system is starting up"), { code: "57P03" }),
      // Prisma's driver adapter, for a socket the crashing server reset: the message is only the kind.
      Object.assign(new Error("ConnectionClosed"), { name: "DriverAdapterError", cause: { kind: "ConnectionClosed" } }),
      Object.assign(new Error("DatabaseNotReachable"), { name: "DriverAdapterError", cause: { kind: "DatabaseNotReachable", host: "127.0.0.1" } }),
    ]) {
      expect(toPublicError(error).code).toBe("UNAVAILABLE");
    }
  });

  it("leaves other errors as they are: AppErrors unchanged, anything else INTERNAL", () => {
    const conflict = new AppError("CONFLICT", "Changed meanwhile.");
    expect(toAppError(conflict)).toBe(conflict);
    for (const error of [new Error("boom"), Object.assign(new Error("dup"), { code: "P2002" }), null, "text"]) {
      expect(isDatabaseTimeout(error)).toBe(false);
      expect(toAppError(error)).toBeNull();
      expect(toPublicError(error).code).toBe("INTERNAL");
    }
  });

  it("does not loop on an error that is its own cause", () => {
    const error = Object.assign(new Error("odd"), {} as { cause?: unknown });
    error.cause = error;
    expect(isDatabaseTimeout(error)).toBe(false);
  });
});
