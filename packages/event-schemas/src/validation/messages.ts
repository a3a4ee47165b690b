import type { ErrorObject } from 'ajv';

/** One problem with one field, e.g. `{ field: 'data.amount', message: 'must be an integer (got "19.99")' }`. */
export interface FieldError {
  field: string;
  message: string;
}

/** The field name used when the whole value is wrong (not JSON, not an object, too large). */
export const ROOT_FIELD = '(root)';

/** `data` + `/items/0/name` -> `data.items[0].name`. */
export function fieldPath(base: string, pointer: string, child?: string): string {
  const tokens = pointer
    .split('/')
    .slice(1)
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) tokens.push(child);
  let path = base;
  for (const token of tokens) {
    if (/^\d+$/.test(token)) path += `[${token}]`;
    else path += path ? `.${token}` : token;
  }
  return path || ROOT_FIELD;
}

/** A short, safe rendering of the offending value for a message. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

const FORMAT_MESSAGES: Record<string, string> = {
  'date-time': 'must be an ISO 8601 date-time with a time zone, e.g. 2026-12-04T15:00:00.000Z',
};

function typeList(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => TYPE_NAMES[String(t)] ?? String(t)).join(' or ');
}

function descriptionOf(error: ErrorObject): string | undefined {
  const schema = error.parentSchema as { description?: unknown } | undefined;
  return typeof schema?.description === 'string' ? schema.description : undefined;
}

function messageFor(error: ErrorObject, field: string): string {
  const got = ` (got ${describeValue(error.data)})`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties': {
      const known = Object.keys(
        (error.parentSchema as { properties?: object } | undefined)?.properties ?? {},
      );
      return known.length > 0
        ? `is not a known field (expected: ${known.join(', ')})`
        : 'is not a known field';
    }
    case 'type':
      return `must be ${typeList(params.type)}${got}`;
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => String(v)).join(', ');
      if (field === 'type')
        return `unknown event type ${describeValue(error.data)}; expected one of ${allowed}`;
      return `must be one of ${allowed}${got}`;
    }
    case 'format':
      return `${FORMAT_MESSAGES[String(params.format)] ?? `must be a valid ${String(params.format)}`}${got}`;
    case 'pattern': {
      const description = descriptionOf(error);
      return description ? `must be ${description}${got}` : `${error.message ?? 'is invalid'}${got}`;
    }
    case 'minimum':
      return `must be ${String(params.limit)} or more${got}`;
    case 'maximum':
      return `must be ${String(params.limit)} or less${got}`;
    case 'minLength':
      return params.limit === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters`;
    case 'maxLength':
      return `must be at most ${String(params.limit)} characters`;
    default:
      return error.message ?? 'is invalid';
  }
}

/** ajv errors -> one human message per field (the first problem found), in document order. */
export function toFieldErrors(errors: readonly ErrorObject[] | null | undefined, base: string): FieldError[] {
  const byField = new Map<string, string>();
  for (const error of errors ?? []) {
    const params = error.params as Record<string, unknown>;
    const child =
      error.keyword === 'required'
        ? String(params.missingProperty)
        : error.keyword === 'additionalProperties'
          ? String(params.additionalProperty)
          : undefined;
    const field = fieldPath(base, error.instancePath, child);
    if (!byField.has(field)) byField.set(field, messageFor(error, field));
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}
