import { useId } from "react";
import { isolatedIndexes, linearScale, linePath, tickIndexes } from "./geometry";
import { emphasisTone, seriesTones, type SeriesTone } from "./palette";

export type LineSeries = {
  key: string;
  name: string;
  values: readonly (number | null)[];
  /** Drawn thicker, in the emphasis colour (e.g. a total among its parts). */
  emphasis?: boolean;
};

type Props = {
  /** What the chart shows, in a few words: the image's accessible name. */
  title: string;
  /** What it shows in a sentence or two, figures included: the image's description. */
  description: string;
  /** One label per point of every series (e.g. the days), shown on the x axis. */
  labels: readonly string[];
  series: readonly LineSeries[];
  /** The top of the y axis (the bottom is 0). */
  yMax?: number;
  formatValue?: (value: number) => string;
  formatLabel?: (label: string) => string;
  /** Label every n-th point on the x axis, counted back from the last. */
  labelEvery?: number;
  /** The caption of the table of figures under the chart (no table when absent). */
  tableCaption?: string;
  width?: number;
  height?: number;
};

const margin = { top: 8, right: 12, bottom: 22, left: 36 };

/**
 * Several series over the same points as lines on shared axes, server-rendered SVG. The image
 * is named and described for screen readers, each line's name shows on hover, and the legend
 * and an optional table give the same figures as text.
 */
export function LineChart({ title, description, labels, series, yMax = 100, formatValue = String, formatLabel = (label) => label, labelEvery = 7, tableCaption, width = 720, height = 220 }: Props) {
  const id = useId();
  const x = linearScale([0, Math.max(1, labels.length - 1)], [margin.left, width - margin.right]);
  const y = linearScale([0, yMax], [height - margin.bottom, margin.top]);
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((share) => share * yMax);
  let plain = 0;
  const toned = series.map((line) => ({ ...line, tone: line.emphasis ? emphasisTone : (seriesTones[plain++ % seriesTones.length] as SeriesTone) }));
  // Emphasised lines last, so they are drawn on top.
  const drawOrder = [...toned].sort((a, b) => Number(a.emphasis ?? false) - Number(b.emphasis ?? false));

  return (
    <div className="flex flex-col gap-3">
      <svg role="img" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`} viewBox={`0 0 ${width} ${height}`} className="h-auto w-full">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {yTicks.map((tick) => (
          <g key={tick}>
            <line x1={margin.left} x2={width - margin.right} y1={y(tick)} y2={y(tick)} className={tick === 0 ? "stroke-slate-400" : "stroke-slate-200"} strokeWidth={1} />
            <text x={margin.left - 6} y={y(tick)} dy="0.32em" textAnchor="end" className="fill-slate-600 text-[11px]">
              {formatValue(tick)}
            </text>
          </g>
        ))}
        {tickIndexes(labels.length, labelEvery).map((index) => (
          <text key={index} x={x(index)} y={height - 6} textAnchor={index === labels.length - 1 ? "end" : "middle"} className="fill-slate-600 text-[11px]">
            {formatLabel(labels[index] ?? "")}
          </text>
        ))}
        {drawOrder.map((line) => (
          <g key={line.key}>
            <title>{line.name}</title>
            <path
              d={linePath(line.values, x, y)}
              fill="none"
              className={line.tone.stroke}
              strokeWidth={line.emphasis ? 3 : 1.75}
              strokeDasharray={line.tone.dash}
              strokeLinejoin="round"
              strokeLinecap="round"
            />
            {isolatedIndexes(line.values).map((index) => (
              <circle key={index} cx={x(index)} cy={y(line.values[index] ?? 0)} r={line.emphasis ? 3.5 : 2.5} className={line.tone.fill} />
            ))}
          </g>
        ))}
      </svg>
      <ul className="flex flex-wrap gap-x-5 gap-y-1 text-sm" aria-label={`Legend: ${title}`}>
        {toned.map((line) => {
          const last = line.values.findLast((value) => value !== null);
          return (
            <li key={line.key} className="flex items-center gap-1.5">
              <svg aria-hidden width={22} height={8} className="shrink-0">
                <line x1={1} x2={21} y1={4} y2={4} className={line.tone.stroke} strokeWidth={line.emphasis ? 3 : 2} strokeDasharray={line.tone.dash} />
              </svg>
              <span className={line.emphasis ? "font-semibold" : undefined}>{line.name}</span>
              <span className="text-slate-600 tabular-nums">{last === undefined || last === null ? "no items" : formatValue(last)}</span>
            </li>
          );
        })}
      </ul>
      {tableCaption && (
        <details className="text-sm">
          <summary className="cursor-pointer text-indigo-800 underline">Show the figures as a table</summary>
          {/* Scrollable, so it takes focus: keyboard users can scroll it too. */}
          <div className="mt-2 max-h-80 overflow-auto rounded border border-slate-200" tabIndex={0} role="region" aria-label={tableCaption}>
            <table className="w-full text-left text-xs">
              <caption className="sr-only">{tableCaption}</caption>
              <thead className="sticky top-0 bg-slate-50">
                <tr>
                  <th scope="col" className="px-2 py-1">
                    Day
                  </th>
                  {series.map((line) => (
                    <th key={line.key} scope="col" className="px-2 py-1">
                      {line.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 tabular-nums">
                {labels.map((label, index) => (
                  <tr key={label}>
                    <th scope="row" className="px-2 py-1 font-normal whitespace-nowrap">
                      {formatLabel(label)}
                    </th>
                    {series.map((line) => {
                      const value = line.values[index];
                      return (
                        <td key={line.key} className="px-2 py-1">
                          {value === null || value === undefined ? "–" : formatValue(value)}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </div>
  );
}
