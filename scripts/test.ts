import { spawnSync } from "node:child_process";

// `npm test`: every stage in order, stopping at the first failure, with how long each took (a
// slow stage on a busy machine should be visible, not guessed at).

const stages = ["typecheck", "lint", "test:unit", "test:db", "build", "test:e2e"] as const;
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const timings: [string, number][] = [];

function summary(): string {
  return timings.map(([stage, seconds]) => `  ${stage.padEnd(10)} ${seconds.toFixed(0).padStart(5)} s`).join("\n");
}

for (const stage of stages) {
  const started = performance.now();
  console.log(`\n== ${stage}`);
  const result = spawnSync(npm, ["run", stage], { stdio: "inherit" });
  timings.push([stage, (performance.now() - started) / 1000]);
  if (result.status !== 0) {
    console.error(`\n== ${stage} failed (exit ${result.status ?? result.signal}). Stage times:\n${summary()}`);
    process.exit(result.status ?? 1);
  }
}
const total = timings.reduce((sum, [, seconds]) => sum + seconds, 0);
console.log(`\n== all stages passed in ${total.toFixed(0)} s:\n${summary()}`);
