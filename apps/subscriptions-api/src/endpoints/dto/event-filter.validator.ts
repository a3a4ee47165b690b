import { registerDecorator, type ValidationArguments } from 'class-validator';
import { EVENT_TYPES, isEventType } from '@codeplanet/event-schemas';

/** What is wrong with an event filter, or null: a non-empty list of known types, or exactly `["*"]`. */
export function eventFilterProblem(value: unknown): string | null {
  if (!Array.isArray(value) || value.length === 0) return 'must be a non-empty list of event types, or ["*"]';
  if (value.length > 50) return 'must list at most 50 entries';
  if (value.includes('*')) return value.length === 1 ? null : '"*" must be the only entry when used';
  const unknown = value.filter((item) => !isEventType(item));
  if (unknown.length === 0) return null;
  const shown = unknown.map((item) => JSON.stringify(item)).join(', ');
  return `has unknown event type ${shown}; expected "*" or any of ${EVENT_TYPES.join(', ')}`;
}

export function IsEventFilter(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isEventFilter',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => eventFilterProblem(value) === null,
        defaultMessage: (args?: ValidationArguments) => eventFilterProblem(args?.value) ?? 'is invalid',
      },
    });
  };
}
