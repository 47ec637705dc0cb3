// The project's thin launcher of Prisma's own schema engine, published as WebAssembly.
// The Prisma CLI would download a native engine from a host this machine cannot reach,
// so `migrate deploy` and `migrate diff` are done here by the same engine, compiled to WASM,
// talking to PostgreSQL through @prisma/adapter-pg. Everything it writes (migration SQL,
// `_prisma_migrations` rows, checksums) is what the CLI would write, so a machine with the
// native engine can take over the same folders and databases.
//
// Paths are resolved from process.cwd(), which must be the project root: npm scripts,
// vitest and `next start` all run there.

import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import pg from "pg";
import { Logger, runMigrations as runWorkerMigrations } from "graphile-worker";
import { PrismaPg } from "@prisma/adapter-pg";
import { DriverAdapterError, bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as engineBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { MigrationList, SchemaEngine, SchemaFilter } from "@prisma/schema-engine-wasm/schema_engine_bg";

export const schemaPath = path.resolve(process.cwd(), "prisma/schema.prisma");
export const migrationsDir = path.resolve(process.cwd(), "prisma/migrations");

// Same name the CLI uses; it must stay relative to migrationsDir.
const LOCKFILE = "migration_lock.toml";
// prisma.config.ts declares no external tables or enums.
const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

// wasm-bindgen keeps the instance in module state, so it can be started only once per process.
let wasmReady: Promise<void> | undefined;

function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    // Node cannot `import` a .wasm file as an ES module, so instantiate the package's file
    // ourselves and hand its exports to the JS glue, as its own entry point would.
    const require = createRequire(import.meta.url);
    const glue = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await readFile(path.join(path.dirname(glue), "schema_engine_bg.wasm"));
    const imports: WebAssembly.ModuleImports = { ...engineBindings };
    for (const name of Object.keys(imports)) {
      // The engine races its queries against timers it never clears (10 s for the migration
      // lock), which would hold the process open after the work is done. Unref'd timers still
      // fire while the engine's pool keeps the process alive, i.e. while it is working.
      if (name.startsWith("__wbg_setTimeout_")) {
        imports[name] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
      }
    }
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": imports });
    engineBindings.__wbg_set_wasm(instance.exports);
    const start = instance.exports.__wbindgen_start;
    if (typeof start !== "function") throw new Error("schema engine WASM has no __wbindgen_start export");
    start();
  })();
  return wasmReady;
}

/**
 * PrismaPg's own executeScript splits a script on every ";" (including those inside strings
 * and $$ function bodies) and sends the pieces one by one over the pool, outside any
 * transaction. The native engine sends a migration as one simple-protocol query instead,
 * which PostgreSQL runs as one implicit transaction: all of it or none of it. Do the same.
 */
class WholeScriptPrismaPg extends PrismaPg {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    super(pool);
    this.#pool = pool;
  }

  override async connect() {
    const adapter = await super.connect();
    return Object.assign(adapter, {
      executeScript: async (script: string) => {
        try {
          await this.#pool.query(script);
        } catch (error) {
          // In the shape PrismaPg reports database errors, so the engine shows the message.
          if (error instanceof pg.DatabaseError) {
            const { code = "", severity = "ERROR", message, detail, column, hint } = error;
            throw new DriverAdapterError({ kind: "postgres", code, severity, message, detail, column, hint });
          }
          throw error;
        }
      },
    });
  }
}

/**
 * Runs `work` with a fresh engine on its own pg pool, and frees both afterwards whatever
 * happens: the engine would otherwise keep pool connections open and the process alive.
 */
async function withEngine<T>(
  databaseUrl: string,
  datamodel: { path: string; content: string },
  log: ((line: string) => void) | undefined,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  await loadWasm();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2, connectionTimeoutMillis: 10_000 });
  // An idle client's error is otherwise an uncaught exception; the next query reports it anyway.
  pool.on("error", (error) => log?.(`schema engine pool: ${error.message}`));
  let engine: SchemaEngine | undefined;
  try {
    // The engine needs the migration-aware, error-capturing form; a bare PrismaPg fails.
    const adapter = bindMigrationAwareSqlAdapterFactory(new WholeScriptPrismaPg(pool));
    engine = await engineBindings.SchemaEngine.new(
      { datamodels: [[datamodel.path, datamodel.content]] },
      (line: string) => log?.(line),
      adapter,
    );
    return await work(engine);
  } finally {
    engine?.free();
    await pool.end();
  }
}

/** Reads prisma/migrations the way the CLI does: every subfolder, sorted by name. */
async function readMigrationsList(): Promise<MigrationList> {
  const lockfileContent = await readFile(path.join(migrationsDir, LOCKFILE), "utf8").catch(() => null);
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const folders = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  folders.sort((a, b) => a.localeCompare(b));
  const migrationDirectories = await Promise.all(
    folders.map(async (folder) => ({
      path: folder,
      migrationFile: {
        path: "migration.sql",
        content: await readFile(path.join(migrationsDir, folder, "migration.sql"), "utf8").then(
          (value) => ({ tag: "ok" as const, value }),
          (error: Error) => ({ tag: "error" as const, value: error.message }),
        ),
      },
    })),
  );
  return {
    baseDir: migrationsDir,
    lockfile: { path: LOCKFILE, content: lockfileContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

const quietLogger = new Logger(() => () => {});

/**
 * Applies the migrations in prisma/migrations not yet applied to the database, recording them
 * in `_prisma_migrations` as `prisma migrate deploy` does. Idempotent, so it can run on every
 * start. Refuses to run over a failed migration or an applied migration whose file was edited,
 * because the database no longer matches the history then and a human has to decide.
 */
export async function applyMigrations(
  databaseUrl: string,
  log?: (line: string) => void,
): Promise<{ applied: string[] }> {
  const [migrationsList, schema] = await Promise.all([readMigrationsList(), readFile(schemaPath, "utf8")]);
  // The engine locks only around applying, but diagnosing first would then see another
  // instance's migration in progress as a failed one. So starters queue on a lock of our own
  // (not the engine's key, which its own connection must still be able to take).
  const lock = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  lock.on("error", (error) => log?.(`migration lock connection: ${error.message}`));
  await lock.connect();
  try {
    const { rows } = await lock.query<{ locked: boolean }>(
      "SELECT pg_try_advisory_lock(hashtext('shipshape.migrations')) AS locked",
    );
    if (!rows[0]?.locked) {
      log?.("Another process is applying migrations; waiting for it to finish.");
      await lock.query("SELECT pg_advisory_lock(hashtext('shipshape.migrations'))");
    }
    return await withEngine(databaseUrl, { path: schemaPath, content: schema }, log, async (engine) => {
      const diagnosis = await engine.diagnoseMigrationHistory({
        migrationsList,
        optInToShadowDatabase: false,
        filters: NO_FILTERS,
      });
      if (diagnosis.failedMigrationNames.length > 0) {
        throw new Error(
          `Migration(s) failed earlier and must be resolved by hand before migrating: ${diagnosis.failedMigrationNames.join(", ")}`,
        );
      }
      if (diagnosis.editedMigrationNames.length > 0) {
        throw new Error(
          `Migration(s) were edited after being applied to this database: ${diagnosis.editedMigrationNames.join(", ")}. ` +
            "Restore the applied file and put the change in a new migration.",
        );
      }
      const history = diagnosis.history;
      if (history && history.diagnostic !== "databaseIsBehind") {
        // Normal while a newer release rolls out next to this one; worth a line otherwise.
        log?.(`The database has migrations this build does not know: ${history.unpersistedMigrationNames.join(", ")}`);
      }
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
      // The job queue keeps its tables in its own schema and versions them itself.
      await runWorkerMigrations({ connectionString: databaseUrl, logger: quietLogger });
      return { applied: appliedMigrationNames };
    });
  } finally {
    // Ending the session releases the advisory lock.
    await lock.end();
  }
}

/**
 * The SQL script that takes a database from `fromSchema` (a Prisma datamodel text; null means
 * an empty database) to `toSchema`: what `prisma migrate diff --script` prints. The engine
 * insists on a connection to `databaseUrl` but reads nothing from it.
 */
export async function diffSchemas(fromSchema: string | null, toSchema: string, databaseUrl: string): Promise<string> {
  const toFile = { path: schemaPath, content: toSchema };
  return withEngine(databaseUrl, toFile, undefined, async (engine) => {
    const result = await engine.diff({
      from:
        fromSchema === null
          ? { tag: "empty" }
          : { tag: "schemaDatamodel", files: [{ path: schemaPath, content: fromSchema }] },
      to: { tag: "schemaDatamodel", files: [toFile] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return result.stdout ?? "";
  });
}
