import { ValidateBy, buildMessage, type ValidationOptions } from 'class-validator';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/;

export const DAY_MS = UNIT_MS.d;

/** `500ms`, `30s`, `5m`, `2h`, `7d`, `1.5d` → milliseconds (rounded); undefined when it is not a duration. */
export function parseDurationMs(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const [, amount, unit] = match as unknown as [string, string, keyof typeof UNIT_MS];
  return Math.round(Number(amount) * UNIT_MS[unit]);
}

/** A single duration of at least `minMs` (default 1 ms), as `parseDurationMs` reads it. */
export function IsDuration(options: { minMs?: number } = {}, validation?: ValidationOptions) {
  const minMs = options.minMs ?? 1;
  return ValidateBy(
    {
      name: 'isDuration',
      validator: {
        validate: (value: unknown) => {
          const ms = typeof value === 'string' ? parseDurationMs(value) : undefined;
          return ms !== undefined && ms >= minMs;
        },
        defaultMessage: buildMessage(
          () => `must be a duration like 30s, 12h or 7d (ms, s, m, h, d), at least ${minMs} ms`,
          validation,
        ),
      },
    },
    validation,
  );
}
