import { readFileSync } from "node:fs";
import path from "node:path";
import { evaluateAreaGuesses, formatConfusion, matchLabels, parseAreaLabels } from "@/lib/import/area";
import labelsJson from "@/lib/import/area-labels.json";
import { parseChecklistMarkdown } from "@/lib/import/markdown";

// `npx tsx scripts/area-accuracy.ts [--misses]`: how often the importer's area guess agrees with
// the hand-labelled seed items in lib/import/area-labels.json, and the confusion matrix. The
// seeds are read from ../shared/seeds beside the repository.

const seedsDir = path.resolve(process.cwd(), "../shared/seeds");
const labels = parseAreaLabels(labelsJson);
const files = [...new Set(labels.map((label) => label.file))];
const imported = files.map((file) => ({ file, checklist: parseChecklistMarkdown(readFileSync(path.join(seedsDir, file))).checklist }));
const results = matchLabels(imported, labels);
const summary = evaluateAreaGuesses(results.map(({ label, guessed }) => ({ expected: label.area, guessed })));

console.log(`Area guess accuracy: ${summary.correct}/${summary.total} = ${(summary.accuracy * 100).toFixed(1)}%`);
console.log(formatConfusion(summary.confusion));
if (process.argv.includes("--misses")) {
  for (const { label, guessed } of results) {
    if (label.area !== guessed) console.log(`${label.area} -> ${guessed}: [${label.section}] ${label.title}`);
  }
}
