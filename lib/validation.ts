import { z } from "zod";
import { AppError, type FieldErrors } from "@/lib/errors";

/**
 * Parses untrusted input with a zod schema. On failure throws INVALID_INPUT whose message and
 * fieldErrors name every offending field, so forms and API clients can point at it.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join(".") || "input";
    (fieldErrors[field] ??= []).push(issue.message);
  }
  const summary = Object.entries(fieldErrors)
    .map(([field, messages]) => `${field}: ${messages.join("; ")}`)
    .join(". ");
  throw new AppError("INVALID_INPUT", `Invalid input. ${summary}`, fieldErrors);
}

/**
 * An optional form field: a blank or whitespace-only value counts as not given, so that an
 * empty input does not fail the field's own rules.
 */
export function optionalField<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), schema.optional());
}
