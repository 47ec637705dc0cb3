import { AppError, type FieldErrors } from "@/lib/errors";
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

/** What was submitted, for a refused form to show again (never passwords). */
export function submittedValues(formData: FormData): Record<string, string | string[]> {
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
