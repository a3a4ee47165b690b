/**
 * Small readers for facts off the bus. Facts are written by our own apps, but a projection must never stop on one
 * malformed message: a reader returns undefined and the caller skips the fact (counted as `invalid`).
 */
export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function nullableStr(value: unknown): string | null | undefined {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : undefined;
}

export function int(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

export function nullableInt(value: unknown): number | null | undefined {
  if (value === null || value === undefined) return null;
  return int(value);
}

/** An ISO 8601 time, normalised to millisecond UTC (`toISOString`) so TS and SQL compare the same values. */
export function iso(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export function nullableIso(value: unknown): string | null | undefined {
  if (value === null || value === undefined) return null;
  return iso(value);
}

export function stringRecord(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

/** True when every listed value is defined (a compact required-fields check). */
export function allDefined(...values: unknown[]): boolean {
  return values.every((v) => v !== undefined);
}

/** One decoder for every message: `decode()` without `stream` keeps no state between calls. */
const UTF8 = new TextDecoder();

export function parseJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(UTF8.decode(data)) as unknown;
  } catch {
    return undefined;
  }
}
