import { isolatedIndexes, linearScale, linePath } from "./geometry";

/**
 * A word-sized line of one series (no axes), as an SVG image named by `label`: put the figures
 * that matter in the label, e.g. "from 12% to 45% over 30 days". Missing values leave gaps.
 */
export function Sparkline({ values, label, max = 100, width = 88, height = 22 }: { values: readonly (number | null)[]; label: string; max?: number; width?: number; height?: number }) {
  const pad = 2;
  const x = linearScale([0, Math.max(1, values.length - 1)], [pad, width - pad]);
  const y = linearScale([0, max], [height - pad, pad]);
  const lastIndex = values.findLastIndex((value) => value !== null);
  const last = lastIndex >= 0 ? values[lastIndex] : null;
  return (
    <svg role="img" aria-label={label} width={width} height={height} viewBox={`0 0 ${width} ${height}`} className="block shrink-0 overflow-visible">
      <line x1={pad} x2={width - pad} y1={y(0)} y2={y(0)} className="stroke-slate-300" strokeWidth={1} />
      <path d={linePath(values, x, y, 1)} fill="none" className="stroke-indigo-700" strokeWidth={1.5} strokeLinejoin="round" strokeLinecap="round" />
      {isolatedIndexes(values)
        .filter((index) => index !== lastIndex)
        .map((index) => (
          <circle key={index} cx={x(index)} cy={y(values[index] ?? 0)} r={1.5} className="fill-indigo-700" />
        ))}
      {last !== null && last !== undefined && <circle cx={x(lastIndex)} cy={y(last)} r={2.25} className="fill-indigo-700" />}
    </svg>
  );
}
