import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import { AppError, toPublicError, type FieldErrors } from "@/lib/errors";
import { currentRequestRecord, noteOutcome, outcomeOf } from "@/lib/http/request-record";
import type { Outcome } from "@/lib/metrics";
import { getRequestId } from "@/lib/request";
import { normalizeLineEndings } from "@/lib/validation";

/** What a form's server action returns: a message to show and, per field, what to fix. */
export type FormState = {
  ok: boolean;
  message: string;
  fieldErrors?: FieldErrors;
  /** What was submitted (never passwords), so a refused form keeps the user's input. */
  values?: Record<string, string | string[]>;
  /** Extra safe data: e.g. the current state of a record after a conflict. */
  data?: Record<string, unknown>;
  submittedAt?: number;
};

export const initialFormState: FormState = { ok: false, message: "" };

/**
 * Runs a service call for a form. Known errors become messages naming the field; anything else
 * is shown as a generic failure. Next's redirects and not-found signals pass through (a redirect
 * is how sign-in succeeds). Every run ends in one log line and the action metrics, with its
 * outcome: an action answers HTTP 200 whether it did its work or not.
 */
export async function runFormAction(formData: FormData, run: () => Promise<string>): Promise<FormState> {
  const startedAt = performance.now();
  try {
    const message = await run();
    await noteActionOutcome("ok", startedAt);
    return { ok: true, message, submittedAt: Date.now() };
  } catch (error) {
    try {
      unstable_rethrow(error);
    } catch (signal) {
      await noteActionOutcome("ok", startedAt);
      throw signal;
    }
    await noteActionOutcome(outcomeOf(error), startedAt, error);
    const publicError = toPublicError(error);
    // The fields say what is wrong with them; the summary only points there.
    const message = publicError.code === "INVALID_INPUT" && publicError.fieldErrors ? "Please correct the fields marked below." : publicError.message;
    return {
      ok: false,
      message,
      ...(publicError.fieldErrors ? { fieldErrors: publicError.fieldErrors } : {}),
      ...(publicError.data ? { data: publicError.data } : {}),
      values: submittedValues(formData),
      submittedAt: Date.now(),
    };
  }
}

async function noteActionOutcome(outcome: Outcome, startedAt: number, error?: unknown): Promise<void> {
  // Under the edge, the record names the action (from the Next-Action header) and the edge
  // writes the line; without it (next dev), the line carries the action's id.
  const record = currentRequestRecord();
  const name = record?.action ?? (await actionIdOfRequest());
  noteOutcome({ kind: "action", name, requestId: record ? null : await getRequestId() }, outcome, startedAt, error);
}

async function actionIdOfRequest(): Promise<string> {
  try {
    return (await headers()).get("next-action") ?? "action";
  } catch {
    return "action";
  }
}

/** FormData to a plain object, line endings normalized; repeated keys (checkbox groups) become arrays. */
export function formToObject(formData: FormData, arrayKeys: readonly string[] = []): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const values = formData
      .getAll(key)
      .filter((value): value is string => typeof value === "string")
      .map(normalizeLineEndings);
    result[key] = arrayKeys.includes(key) ? values : values[0];
  }
  for (const key of arrayKeys) result[key] ??= [];
  return result;
}

function submittedValues(formData: FormData): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const key of new Set(formData.keys())) {
    if (key.startsWith("$ACTION") || /password/i.test(key)) continue;
    const all = formData.getAll(key).filter((value): value is string => typeof value === "string");
    values[key] = all.length === 1 && all[0] !== undefined ? all[0] : all;
  }
  return values;
}

/** An uploaded file's bytes (the importer checks encoding and size), or INVALID_INPUT naming the field. */
export async function readUploadedFile(formData: FormData, field: string): Promise<{ bytes: Uint8Array; name: string }> {
  const file = formData.get(field);
  if (!(file instanceof File) || file.size === 0) throw new AppError("INVALID_INPUT", "Choose a Markdown file.", { [field]: ["Choose a Markdown file."] });
  return { bytes: new Uint8Array(await file.arrayBuffer()), name: file.name };
}
