import pg from "pg";

// Counts the SQL statements this process sends while a function runs, by wrapping node-postgres'
// Client#query, which every query goes through (Prisma's adapter and pool.query alike). Only
// meaningful while nothing else in the process queries the database at the same time.

type AnyQuery = (this: pg.Client, ...args: unknown[]) => unknown;

function statementText(config: unknown): string {
  if (typeof config === "string") return config;
  if (config && typeof config === "object" && "text" in config && typeof config.text === "string") return config.text;
  return String(config);
}

export async function countQueries<T>(run: () => Promise<T>): Promise<{ result: T; queries: number; statements: string[] }> {
  const prototype = pg.Client.prototype as unknown as { query: AnyQuery };
  const original = prototype.query;
  const statements: string[] = [];
  prototype.query = function (this: pg.Client, ...args: unknown[]) {
    statements.push(statementText(args[0]));
    return original.apply(this, args);
  };
  try {
    const result = await run();
    return { result, queries: statements.length, statements };
  } finally {
    prototype.query = original;
  }
}
