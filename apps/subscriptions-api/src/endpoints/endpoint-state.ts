import type { EndpointFactType, EndpointState } from '@codeplanet/event-schemas';
import { newRing, pruneRing, reencryptRing, rotateRing, type SecretCipher } from './secrets/secret-ring.js';

/**
 * Pure transitions of an endpoint snapshot. Each returns the next state (version + 1) and the fact type that
 * announces it; the writer publishes it and updates the projection.
 */
export interface Transition {
  type: EndpointFactType;
  state: EndpointState;
}

export interface NewEndpoint {
  id: string;
  accountId: string;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  secretCiphertext: string;
}

export interface EndpointPatch {
  url?: string;
  events?: string[];
  description?: string | null;
  enabled?: boolean;
}

export function created(input: NewEndpoint, now: Date): Transition {
  const at = now.toISOString();
  return {
    type: 'endpoint.created',
    state: {
      id: input.id,
      account_id: input.accountId,
      url: input.url,
      events: normalizeFilter(input.events),
      description: input.description,
      enabled: input.enabled,
      disabled_reason: input.enabled ? null : 'manual',
      secrets: newRing(input.secretCiphertext, now),
      created_at: at,
      updated_at: at,
      version: 1,
    },
  };
}

/** null when the patch changes nothing (no fact is written for a no-op). */
export function patched(
  current: EndpointState,
  patch: EndpointPatch,
  cipher: SecretCipher,
  now: Date,
): Transition | null {
  const next: EndpointState = { ...current };
  const changed: string[] = [];
  if (patch.url !== undefined && patch.url !== current.url) {
    next.url = patch.url;
    changed.push('url');
  }
  if (patch.events !== undefined) {
    const events = normalizeFilter(patch.events);
    if (events.join(',') !== current.events.join(',')) {
      next.events = events;
      changed.push('events');
    }
  }
  if (patch.description !== undefined && patch.description !== current.description) {
    next.description = patch.description;
    changed.push('description');
  }
  if (patch.enabled !== undefined && patch.enabled !== current.enabled) {
    next.enabled = patch.enabled;
    next.disabled_reason = patch.enabled ? null : 'manual';
    changed.push('enabled');
  }
  if (changed.length === 0) return null;
  const onlyEnabled = changed.length === 1 && changed[0] === 'enabled';
  const type = onlyEnabled ? (next.enabled ? 'endpoint.enabled' : 'endpoint.disabled') : 'endpoint.updated';
  return { type, state: bump(next, cipher, now) };
}

export function secretRotated(
  current: EndpointState,
  ciphertext: string,
  cipher: SecretCipher,
  now: Date,
): Transition {
  const secrets = rotateRing(reencryptRing(current.secrets, cipher), ciphertext, now);
  return { type: 'endpoint.secret_rotated', state: { ...bump(current, cipher, now), secrets } };
}

/** The last fact of a deleted endpoint carries no secrets: nothing needs them any more. */
export function deleted(current: EndpointState, now: Date): Transition {
  return {
    type: 'endpoint.deleted',
    state: {
      ...current,
      enabled: false,
      secrets: [],
      updated_at: now.toISOString(),
      version: current.version + 1,
    },
  };
}

/** The fields whose change a PATCH made, for the audit trail (names only, never values). */
export function changedFields(before: EndpointState, after: EndpointState): string[] {
  const fields = ['url', 'events', 'description', 'enabled'] as const;
  return fields.filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
}

/** `['*']` stays alone; otherwise types are de-duplicated, keeping the caller's order. */
export function normalizeFilter(events: string[]): string[] {
  return events.includes('*') ? ['*'] : [...new Set(events)];
}

/** Every change drops expired old secrets and re-encrypts under the current key. */
function bump(state: EndpointState, cipher: SecretCipher, now: Date): EndpointState {
  return {
    ...state,
    secrets: pruneRing(reencryptRing(state.secrets, cipher), now),
    updated_at: now.toISOString(),
    version: state.version + 1,
  };
}
