import type { ValueTransformer } from 'typeorm';

/** pg returns bigint as a string; stream sequences stay far below 2^53. */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
