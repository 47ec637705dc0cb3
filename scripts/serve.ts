import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

// Shared by `npm run demo` and `npm start`: build when the sources are newer than the last
// build, then run the server (scripts/server.ts: Next.js behind the app's edge) in the
// foreground and pass signals on to it.

const root = process.cwd();
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
export const serverScript = path.join(root, "scripts", "server.ts");
const sourceEntries = ["app", "components", "lib", "public", "proxy.ts", "instrumentation.ts", "next.config.js", "postcss.config.js", "package.json", "tsconfig.json"];

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of readdirSync(entry)) {
    if (child === "generated" || child === "node_modules") continue;
    newest = Math.max(newest, newestMtime(path.join(entry, child)));
  }
  return newest;
}

export function isBuildCurrent(): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return false;
  const builtAt = statSync(buildId).mtimeMs;
  return sourceEntries.every((entry) => newestMtime(path.join(root, entry)) <= builtAt);
}

function run(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [nextBin, ...args], { stdio: "inherit", env });
}

export async function buildIfNeeded(env: NodeJS.ProcessEnv): Promise<void> {
  if (isBuildCurrent()) return;
  console.log("Building the app (first run or sources changed)…");
  const code = await new Promise<number>((resolve) => run(["build"], env).on("exit", (exitCode) => resolve(exitCode ?? 1)));
  if (code !== 0) throw new Error(`next build failed with exit code ${code}`);
}

/** Serves until the process is told to stop; `onStop` runs after the server exited. */
export async function serve(env: NodeJS.ProcessEnv, onStop: () => Promise<void> = async () => {}): Promise<never> {
  const server = spawn(process.execPath, ["--import", "tsx", serverScript], { stdio: "inherit", env: { PORT: "3000", ...env } });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    server.kill(signal);
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  const code = await new Promise<number>((resolve) => server.on("exit", (exitCode) => resolve(exitCode ?? 0)));
  await onStop();
  process.exit(stopping ? 0 : code);
}
