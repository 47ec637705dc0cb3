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
    /** For RATE_LIMITED: when to try again, sent as Retry-After by the API. */
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

/** What a client may see of any error: AppErrors as they are, anything else as INTERNAL. */
export type PublicError = { code: ErrorCode; message: string; fieldErrors?: FieldErrors; data?: Record<string, unknown> };

export function toPublicError(error: unknown): PublicError {
  if (error instanceof AppError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}),
      ...(error.data ? { data: error.data } : {}),
    };
  }
  return { code: "INTERNAL", message: "Something went wrong on our side. It has been logged." };
}
