import type { EventEnvelope } from './envelope.js';
import { EXAMPLES } from './examples.js';
import type { EventType } from './event-types.js';
import { newId } from './ids.js';
import type { TypedEvent } from './types.js';

export type ExampleOverrides = Partial<Pick<EventEnvelope, 'id' | 'account_id' | 'created_at' | 'test'>>;

const PLAIN_EXAMPLES = EXAMPLES as unknown as Readonly<Record<EventType, EventEnvelope>>;

/**
 * A fresh, mutable copy of a type's catalogue example, for test events: new id, `test: true`, `created_at` now,
 * plus any overrides (typically `account_id`). The catalogue itself is frozen and never changes.
 */
export function exampleEvent<T extends EventType>(type: T, overrides: ExampleOverrides = {}): TypedEvent<T> {
  const copy = structuredClone(PLAIN_EXAMPLES[type]);
  const fresh = { id: newId('evt'), created_at: new Date().toISOString(), test: true };
  return Object.assign(copy, fresh, overrides) as unknown as TypedEvent<T>;
}
