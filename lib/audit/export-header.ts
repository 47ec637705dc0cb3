// The header line of a JSON Lines export, shared by the exporter and the offline verifier
// (scripts/verify-audit-export.ts), which must run without the database: nothing here needs it.

/**
 * The first line of every JSON Lines export: what the file is. `chain: "whole"` starts at the
 * chain's first event; `"stretch"` (filtered by project or dates) starts wherever its first event
 * is, so the offline verifier checks it from there without being told (--partial).
 */
export type ExportHeader = {
  shipshape: typeof EXPORT_HEADER_MARK;
  version: 1;
  chain: "whole" | "stretch";
  project: string | null;
  from: string | null;
  to: string | null;
  exportedAt: string;
};

export const EXPORT_HEADER_MARK = "audit-export";

/** Whether a parsed JSON Lines line is an export's header rather than an event. */
export function isExportHeader(value: unknown): value is ExportHeader {
  return typeof value === "object" && value !== null && (value as { shipshape?: unknown }).shipshape === EXPORT_HEADER_MARK;
}
