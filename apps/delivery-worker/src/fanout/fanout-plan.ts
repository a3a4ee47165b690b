import {
  MAX_EVENT_BYTES,
  deliveryIdFor,
  validateEvent,
  type DeliveryTask,
  type EventEnvelope,
  type OutcomeFact,
  type Topology,
} from '@codeplanet/event-schemas';
import type { EndpointRoute } from '../routing/routing-table.js';

/**
 * OUTCOMES subjects are per endpoint; facts about an event as a whole (accepted, rejected) go under this token,
 * which can never be an endpoint id.
 */
export const EVENT_OUTCOMES_TOKEN = '_events';

export interface PublishIntent {
  subject: string;
  payload: unknown;
  msgId: string;
}

export interface IncomingEvent {
  data: Uint8Array;
  subject: string;
  /** EVENTS stream sequence: names a rejected message, whose id may be missing or reused. */
  streamSeq: number;
  targetEndpointId?: string | undefined;
}

export type FanoutPlan =
  | { kind: 'rejected'; publishes: PublishIntent[]; errors: { field: string; message: string }[] }
  | { kind: 'accepted'; event: EventEnvelope; publishes: PublishIntent[]; deliveries: number };

export interface RouteMatcher {
  match(accountId: string, eventType: string, targetEndpointId?: string): EndpointRoute[];
}

/** Decides what one EVENTS message turns into: the tasks plus `event.accepted`, or `event.rejected`. */
export function planFanout(
  incoming: IncomingEvent,
  routes: RouteMatcher,
  topology: Topology,
  now: number,
): FanoutPlan {
  const checked = checkEvent(incoming, topology);
  if (!checked.ok) return rejected(incoming, checked.parsed, checked.errors, topology, now);
  const event = checked.event;
  const targets = routes.match(event.account_id, event.type, incoming.targetEndpointId);
  const publishes: PublishIntent[] = targets.map((route) => {
    const task: DeliveryTask = {
      delivery_id: deliveryIdFor(event.id, route.id),
      endpoint_id: route.id,
      account_id: event.account_id,
      event,
      first_attempt: 1,
      enqueued_at: now,
    };
    return { subject: topology.delivery(route.id), payload: task, msgId: `${event.id}:${route.id}` };
  });
  const accepted: OutcomeFact = {
    type: 'event.accepted',
    event,
    deliveries: publishes.map((p) => {
      const task = p.payload as DeliveryTask;
      return { delivery_id: task.delivery_id, endpoint_id: task.endpoint_id };
    }),
    occurred_at: new Date(now).toISOString(),
  };
  publishes.push({
    subject: topology.outcome(EVENT_OUTCOMES_TOKEN),
    payload: accepted,
    msgId: `accepted:${event.id}`,
  });
  return { kind: 'accepted', event, publishes, deliveries: targets.length };
}

type Checked =
  | { ok: true; event: EventEnvelope }
  | { ok: false; parsed: unknown; errors: { field: string; message: string }[] };

function checkEvent(incoming: IncomingEvent, topology: Topology): Checked {
  if (incoming.data.byteLength > MAX_EVENT_BYTES) {
    return {
      ok: false,
      parsed: undefined,
      errors: [{ field: 'body', message: `larger than ${MAX_EVENT_BYTES} bytes` }],
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(incoming.data).toString('utf8'));
  } catch {
    return { ok: false, parsed: undefined, errors: [{ field: 'body', message: 'is not valid JSON' }] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return {
      ok: false,
      parsed,
      errors: [{ field: 'body', message: 'must be a JSON object (the event envelope)' }],
    };
  }
  const result = validateEvent(parsed);
  if (!result.ok) return { ok: false, parsed, errors: result.errors };
  const subjectType = topology.eventTypeOf(incoming.subject);
  if (subjectType !== result.event.type) {
    const message = `"${result.event.type}" does not match the subject's type "${subjectType}"`;
    return { ok: false, parsed, errors: [{ field: 'type', message }] };
  }
  return { ok: true, event: result.event };
}

function rejected(
  incoming: IncomingEvent,
  parsed: unknown,
  errors: { field: string; message: string }[],
  topology: Topology,
  now: number,
): FanoutPlan {
  const fields = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const fact: OutcomeFact = {
    type: 'event.rejected',
    event_id: typeof fields.id === 'string' ? fields.id : null,
    account_id: typeof fields.account_id === 'string' ? fields.account_id : null,
    subject: incoming.subject,
    raw: Buffer.from(incoming.data.subarray(0, MAX_EVENT_BYTES)).toString('utf8'),
    errors,
    occurred_at: new Date(now).toISOString(),
  };
  const publish = {
    subject: topology.outcome(EVENT_OUTCOMES_TOKEN),
    payload: fact,
    msgId: `rejected:${incoming.streamSeq}`,
  };
  return { kind: 'rejected', publishes: [publish], errors };
}
