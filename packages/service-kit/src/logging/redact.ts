const SECRET_KEYS = /^(secret|secrets|authorization|password|token|key|api_key|ciphertext)$/i;
const SECRET_VALUES = /(whsec_[A-Za-z0-9+/=]+|cpk_[A-Za-z0-9_-]+)/g;

/** A copy safe to log: secret-looking keys are masked, and secret-looking values are masked anywhere. */
export function redact<T>(value: T): T {
  return redactValue(value, 0) as T;
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.replace(SECRET_VALUES, '[redacted]');
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      SECRET_KEYS.test(key) ? '[redacted]' : redactValue(item, depth + 1),
    ]),
  );
}
