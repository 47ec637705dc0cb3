import { isDatabaseTimeout } from "@/lib/db-errors";

// One error type for everything a caller may be told. The code decides the HTTP status and
// the message is safe to show; anything else is reported as INTERNAL without detail.

export const errorCodes = {
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_INPUT: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  /** The database did not answer in time: nothing was changed, and trying again shortly may work. */
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** Field name → messages, for forms and API clients. */
export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors?: FieldErrors,
    /** Safe extra data for the client, e.g. the current state of a record on CONFLICT. */
    readonly data?: Record<string, unknown>,
    /** For RATE_LIMITED and UNAVAILABLE: when to try again, sent as Retry-After by the API. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return errorCodes[this.code];
  }
}

export function notFound(what = "Not found"): AppError {
  return new AppError("NOT_FOUND", what);
}

export function rateLimited(message: string, retryAfterSeconds: number): AppError {
  return new AppError("RATE_LIMITED", message, undefined, { retryAfterSeconds }, Math.max(1, Math.ceil(retryAfterSeconds)));
}

export function forbidden(message = "You are not allowed to do that."): AppError {
  return new AppError("FORBIDDEN", message);
}

/** Seconds a client is asked to wait after the database did not answer in time. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export function databaseUnavailable(): AppError {
  return new AppError("UNAVAILABLE", "The database did not answer in time; try again shortly.", undefined, undefined, DATABASE_RETRY_AFTER_SECONDS);
}

/** Any error as the AppError a client is told: AppErrors as they are, a database timeout as UNAVAILABLE, else null (INTERNAL). */
export function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (isDatabaseTimeout(error)) return databaseUnavailable();
  return null;
}

/** What a client may see of any error: AppErrors as they are, database timeouts as UNAVAILABLE, anything else as INTERNAL. */
export type PublicError = { code: ErrorCode; message: string; fieldErrors?: FieldErrors; data?: Record<string, unknown> };

export function toPublicError(error: unknown): PublicError {
  const appError = toAppError(error);
  if (appError) {
    return {
      code: appError.code,
      message: appError.message,
      ...(appError.fieldErrors ? { fieldErrors: appError.fieldErrors } : {}),
      ...(appError.data ? { data: appError.data } : {}),
    };
  }
  return { code: "INTERNAL", message: "Something went wrong on our side. It has been logged." };
}
