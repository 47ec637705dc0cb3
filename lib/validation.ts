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
 * Text as people mean it: browsers send a textarea's line breaks as CR LF, and scripts may send
 * lone CRs. Both are LF here, at the edge (forms and JSON bodies), so that re-saving unchanged text
 * is no change and the audit trail never records one in someone's name.
 */
export function normalizeLineEndings(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

/** Every string in a parsed JSON body, at any depth, with normalized line endings. */
export function normalizeTextDeep(value: unknown): unknown {
  if (typeof value === "string") return normalizeLineEndings(value);
  if (Array.isArray(value)) return value.map(normalizeTextDeep);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, normalizeTextDeep(entry)]));
  return value;
}

/**
 * An optional form field: a blank or whitespace-only value counts as not given, so that an
 * empty input does not fail the field's own rules.
 */
export function optionalField<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), schema.optional());
}

const uuidSchema = z.uuid();
const slugShape = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Whether a value from a URL can name a row by id at all (anything else is NOT_FOUND, never a query). */
export function isUuid(value: unknown): value is string {
  return uuidSchema.safeParse(value).success;
}

/** Whether a value from a URL can be a project's or template's slug. */
export function isSlug(value: unknown): value is string {
  return typeof value === "string" && value.length <= 60 && slugShape.test(value);
}
