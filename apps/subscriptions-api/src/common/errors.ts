import { ApiError, type ErrorDetail } from '@codeplanet/service-kit';

/** Another account's ids answer exactly like ids that do not exist. */
export class EndpointNotFound extends ApiError {
  constructor() {
    super(404, 'not_found', 'endpoint not found');
  }
}

export class AccountNotFound extends ApiError {
  constructor() {
    super(404, 'not_found', 'account not found');
  }
}

export class ApiKeyNotFound extends ApiError {
  constructor() {
    super(404, 'not_found', 'api key not found');
  }
}

/** Lost an optimistic-concurrency race: someone else changed the endpoint since it was read. */
export class ConcurrentChange extends ApiError {
  constructor() {
    super(409, 'conflict', 'the endpoint was changed by another request; read it again and retry');
  }
}

/** The log of record (NATS) did not take the change: nothing was changed. */
export class StreamUnavailable extends ApiError {
  constructor() {
    super(503, 'unavailable', 'the change could not be recorded right now; retry shortly');
  }
}

export class InvalidField extends ApiError {
  constructor(code: string, field: string, message: string) {
    super(422, code, `${field} ${message}`, [{ field, message }]);
  }
}

export class ValidationFailed extends ApiError {
  constructor(message: string, details: ErrorDetail[]) {
    super(422, 'validation_failed', message, details);
  }
}
