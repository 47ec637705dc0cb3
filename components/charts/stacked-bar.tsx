import { segmentFills, type SegmentTone } from "./palette";

export type BarSegment = { label: string; value: number; tone: SegmentTone };

/**
 * A horizontal bar: a track standing for `total`, filled from the left by each segment in
 * proportion (what no segment covers shows as the track). An SVG image whose accessible name is
 * `label`: say the figures there, the colours alone carry nothing. The default class
 * (`chart-bar`, in app/globals.css) makes it full width and 0.5rem high.
 */
export function StackedBar({ segments, total, label, className = "chart-bar" }: { segments: readonly BarSegment[]; total: number; label: string; className?: string }) {
  let offset = 0;
  return (
    <svg role="img" aria-label={label} className={className}>
      {total > 0 &&
        segments.map((segment) => {
          const width = Math.round((Math.max(0, segment.value) / total) * 1000) / 10;
          const x = offset;
          offset += width;
          return width > 0 ? <rect key={segment.label} x={`${Math.round(x * 10) / 10}%`} width={`${width}%`} height="100%" className={segmentFills[segment.tone]} /> : null;
        })}
    </svg>
  );
}
