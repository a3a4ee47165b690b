/**
 * Field schemas shared by several event types. Each carries a `description`: it documents the field in
 * `GET /v1/event-types` and is what a validation message quotes when a value has the wrong shape.
 * Everything is `as const` so `FromSchema` can derive the TypeScript types from these very objects.
 */

export const idField = (what: string, example: string) =>
  ({
    type: 'string',
    minLength: 1,
    maxLength: 255,
    description: `${what}, e.g. ${example}`,
  }) as const;

export const userId = idField('the CodePlanet user id', 'usr_42');

export const amount = {
  type: 'integer',
  minimum: 0,
  description: 'an integer amount in minor units (cents), e.g. 1999 for 19.99',
} as const;

export const currency = {
  type: 'string',
  pattern: '^[A-Z]{3}$',
  description: 'an ISO 4217 currency code of 3 uppercase letters, e.g. USD',
} as const;

export const plan = {
  type: 'string',
  minLength: 1,
  maxLength: 100,
  description: 'the plan name, e.g. pro',
} as const;

export const dateTime = (what: string) =>
  ({
    type: 'string',
    format: 'date-time',
    description: `${what}, an ISO 8601 date-time with a time zone, e.g. 2026-12-04T15:00:00.000Z`,
  }) as const;

export const text = (what: string, example: string, maxLength = 1000) =>
  ({
    type: 'string',
    minLength: 1,
    maxLength,
    description: `${what}, e.g. ${example}`,
  }) as const;
