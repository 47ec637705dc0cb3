import { segmentFills, type SegmentTone } from "./palette";

export type BarSegment = { label: string; value: number; tone: SegmentTone };

/**
 * A horizontal bar (by default `chart-bar`: full width, 0.5rem high) split into segments in proportion to their values, as an SVG image whose
 * accessible name is `label` (say the figures there: the colours alone carry nothing).
 */
export function StackedBar({ segments, label, className = "chart-bar" }: { segments: readonly BarSegment[]; label: string; className?: string }) {
  const total = segments.reduce((sum, segment) => sum + Math.max(0, segment.value), 0);
  let offset = 0;
  return (
    <svg role="img" aria-label={label} viewBox="0 0 100 10" preserveAspectRatio="none" className={className}>
      {total > 0 &&
        segments.map((segment) => {
          const width = Math.round((Math.max(0, segment.value) / total) * 1000) / 10;
          const x = offset;
          offset += width;
          return width > 0 ? <rect key={segment.label} x={Math.round(x * 10) / 10} width={width} height={10} className={segmentFills[segment.tone]} /> : null;
        })}
    </svg>
  );
}
