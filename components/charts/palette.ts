// Colours for chart series and segments. Written out in full so Tailwind finds the class names.
// Series colours are dark enough for 4.5:1 against white, and each also has its own dash
// pattern, so lines stay apart for people who do not tell the colours apart.

export type SeriesTone = { stroke: string; fill: string; dash: string | undefined };

export const seriesTones: readonly SeriesTone[] = [
  { stroke: "stroke-indigo-700", fill: "fill-indigo-700", dash: undefined },
  { stroke: "stroke-amber-700", fill: "fill-amber-700", dash: "6 3" },
  { stroke: "stroke-teal-700", fill: "fill-teal-700", dash: "2 3" },
  { stroke: "stroke-rose-700", fill: "fill-rose-700", dash: "8 3 2 3" },
  { stroke: "stroke-sky-700", fill: "fill-sky-700", dash: "4 4" },
  { stroke: "stroke-violet-700", fill: "fill-violet-700", dash: "1 2" },
  { stroke: "stroke-lime-800", fill: "fill-lime-800", dash: "10 4" },
  { stroke: "stroke-orange-800", fill: "fill-orange-800", dash: "3 2 1 2" },
];

/** The tone for an emphasised series, such as a total drawn among its parts. */
export const emphasisTone: SeriesTone = { stroke: "stroke-slate-900", fill: "fill-slate-900", dash: undefined };

/** Fills for the segments of a stacked bar (short classes in app/globals.css: bars repeat a lot). */
export const segmentFills = {
  ready: "seg-ready",
  blocked: "seg-blocked",
} as const;

export type SegmentTone = keyof typeof segmentFills;
