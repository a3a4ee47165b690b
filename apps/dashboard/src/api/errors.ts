/** The contract's error body: `{"error": {"code", "message", "details": [...]}}`. */
export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The problem reported for one field (`url`, `events`, `events[0]`...), if any. */
  forField(field: string): string | undefined {
    const hit = this.details.find(
      (d) => d.field === field || d.field.startsWith(`${field}[`) || d.field.startsWith(`${field}.`),
    );
    return hit?.message;
  }
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** Reads whatever an error response carried; anything off-contract becomes a generic error with the status. */
export function toApiError(status: number, body: unknown): ApiError {
  const error = asRecord(asRecord(body)?.error);
  if (!error) return new ApiError(status, `http_${status}`, `Request failed with HTTP ${status}`);
  const code = typeof error.code === 'string' ? error.code : `http_${status}`;
  const message = typeof error.message === 'string' ? error.message : `Request failed with HTTP ${status}`;
  const details: FieldProblem[] = [];
  if (Array.isArray(error.details)) {
    for (const item of error.details) {
      const d = asRecord(item);
      if (d && typeof d.field === 'string') {
        details.push({ field: d.field, message: typeof d.message === 'string' ? d.message : 'is invalid' });
      }
    }
  }
  return new ApiError(status, code, message, details);
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
