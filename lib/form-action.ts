import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import { toPublicError } from "@/lib/errors";
import { submittedValues, type FormState } from "@/lib/form-state";
import { currentRequestRecord, noteOutcome, outcomeOf } from "@/lib/http/request-record";
import type { Outcome } from "@/lib/metrics";
import { getRequestId } from "@/lib/request";

// The server half of forms (lib/form-state.ts is shared with the browser): runs a form's
// service call and notes how it ended, for the log line and the metrics.

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
