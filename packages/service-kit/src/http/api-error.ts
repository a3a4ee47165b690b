import { HttpException } from '@nestjs/common';

export interface ErrorDetail {
  field?: string;
  message: string;
}

export interface ErrorBody {
  error: { code: string; message: string; details: ErrorDetail[] };
}

/** A domain error with the contract's body: `{"error": {"code", "message", "details"}}`. */
export class ApiError extends HttpException {
  constructor(status: number, code: string, message: string, details: ErrorDetail[] = []) {
    super({ error: { code, message, details } } satisfies ErrorBody, status);
  }
}

export class NotFoundError extends ApiError {
  constructor(what: string) {
    super(404, 'not_found', `${what} not found`);
  }
}
