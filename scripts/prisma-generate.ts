// npm run db:generate (and postinstall) — `prisma generate` without the native schema engine.
// The CLI downloads a native engine before generating, from a host this machine cannot reach,
// although generating needs none. Pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file
// skips the download. We point it at the WASM engine: a file that is always installed and
// that nothing could mistake for something to execute. A value set by the caller wins, so a
// machine with a real native engine keeps using it.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const engineFile = path.join(
  path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")),
  "schema_engine_bg.wasm",
);
const prismaCli = path.join(path.dirname(require.resolve("prisma/package.json")), "build/index.js");

const result = spawnSync(process.execPath, [prismaCli, "generate", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? engineFile,
    // prisma.config.ts reads it; generating never connects.
    DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://placeholder@localhost:5432/placeholder",
  },
});
if (result.error) {
  console.error(`Could not run prisma generate: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
