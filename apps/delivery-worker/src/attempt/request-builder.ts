import { readFileSync } from 'node:fs';
import type { DeliveryTask } from '@codeplanet/event-schemas';
import { signWebhook } from '@codeplanet/signer';

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const WORKER_VERSION = readVersion();
export const USER_AGENT = `CodePlanet-Webhooks/${WORKER_VERSION}`;

export interface WebhookRequest {
  body: string;
  headers: Record<string, string>;
}

/**
 * The request of CONTRACT.md §2 for one attempt, signed now with every secret still valid. The body is the
 * envelope serialised once; the same string is signed and sent.
 */
export function buildWebhookRequest(
  task: DeliveryTask,
  attempt: number,
  secrets: string[],
  nowMs: number,
): WebhookRequest {
  const body = JSON.stringify(task.event);
  const signature = signWebhook({
    secrets,
    eventId: task.event.id,
    body,
    timestamp: Math.floor(nowMs / 1000),
  });
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'x-codeplanet-event-id': task.event.id,
      'x-codeplanet-event-type': task.event.type,
      'x-codeplanet-delivery-id': task.delivery_id,
      'x-codeplanet-attempt': String(attempt),
      ...signature,
    },
  };
}

const SIGNATURE_HEADERS = new Set(['x-codeplanet-signature', 'webhook-signature']);
const KEPT_SIGNATURE_CHARS = 8;

/**
 * The headers as they are stored in OUTCOMES: signatures cut to a short prefix (enough to tell which secret
 * signed, useless for forging); nothing else here is secret.
 */
export function headersForLog(headers: Record<string, string>): Record<string, string> {
  const logged: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    logged[name] = SIGNATURE_HEADERS.has(name) ? truncateSignatures(value) : value;
  }
  return logged;
}

function truncateSignatures(value: string): string {
  return value
    .split(' ')
    .filter(Boolean)
    .map((sig) => {
      // `v1=<hex>` or `v1,<base64>`: the version ends at the first separator (base64 itself may contain `=`).
      const cut = sig.search(/[=,]/);
      if (cut < 0) return '…';
      return `${sig.slice(0, cut + 1)}${sig.slice(cut + 1, cut + 1 + KEPT_SIGNATURE_CHARS)}…`;
    })
    .join(' ');
}
