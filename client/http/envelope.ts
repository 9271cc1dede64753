/**
 * The response envelope of the HTTP API: `{"success":true,"data":…}` or
 * `{"success":false,"error":{"code","message","details"?,"request_id"}}`. Codes are stable API.
 */

/** Error codes and their HTTP statuses. */
export const ErrorCodes = {
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

/** One stable error code. */
export type ErrorCode = keyof typeof ErrorCodes;

/** A `{path, message}` detail of a validation error. */
export interface ErrorDetail {
  path: string;
  message: string;
}

/** An error the handlers throw to answer with a given code; the error handler renders the envelope. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The HTTP status of this error's code. */
  get status(): number {
    return ErrorCodes[this.code];
  }
}

/** A success envelope. */
export function ok<T>(data: T): { success: true; data: T } {
  return { success: true, data };
}

/** An error envelope. */
export function failure(code: ErrorCode, message: string, requestId: string, details?: ErrorDetail[]) {
  return {
    success: false as const,
    error: { code, message, ...(details ? { details } : {}), request_id: requestId },
  };
}
