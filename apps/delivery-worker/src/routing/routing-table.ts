import type { EndpointFact, EndpointState } from '@codeplanet/event-schemas';

export interface RouteSecret {
  /** Plaintext `whsec_...`, held only in this process's memory. */
  secret: string;
  /** Epoch ms after which a rotated-out secret stops signing; null for the current one. */
  expiresAt: number | null;
}

export interface EndpointRoute {
  id: string;
  accountId: string;
  url: string;
  /** Null means every type (`*`). */
  events: ReadonlySet<string> | null;
  enabled: boolean;
  secrets: RouteSecret[];
  /** How many secrets could not be decrypted (wrong keyring): visible in logs, never silently unsigned. */
  undecryptableSecrets: number;
  /** The endpoint as last published, to build the next fact from it. */
  state: EndpointState;
  /** Stream sequence of that fact: the expected-last-subject-sequence of the next write. */
  subjectSeq: number;
}

export type Decrypt = (ciphertext: string) => string;

/**
 * The worker's view of every endpoint, built from ENDPOINTS (last fact per subject, then live). Fan-out and
 * attempts read it; Postgres is never on the hot path.
 */
export class RoutingTable {
  private readonly routes = new Map<string, EndpointRoute>();
  private readonly byAccount = new Map<string, Set<string>>();

  constructor(
    private readonly decrypt: Decrypt,
    private readonly onDecryptError: (endpointId: string, error: unknown) => void = () => undefined,
  ) {}

  apply(fact: EndpointFact, seq: number): void {
    const endpoint = fact.endpoint;
    const current = this.routes.get(endpoint.id);
    if (current && current.subjectSeq >= seq) return;
    if (fact.type === 'endpoint.deleted') {
      this.remove(endpoint.id);
      return;
    }
    const route = this.toRoute(endpoint, seq);
    if (current && current.accountId !== route.accountId) this.unindex(current);
    this.routes.set(route.id, route);
    let ids = this.byAccount.get(route.accountId);
    if (!ids) {
      ids = new Set();
      this.byAccount.set(route.accountId, ids);
    }
    ids.add(route.id);
  }

  get(endpointId: string): EndpointRoute | undefined {
    return this.routes.get(endpointId);
  }

  get size(): number {
    return this.routes.size;
  }

  /**
   * The endpoints an event goes to: the account's enabled endpoints whose filter has the type or `*`. A targeted
   * (test) event goes only to its target, whatever the filter or state, and only if the account owns it.
   */
  match(accountId: string, eventType: string, targetEndpointId?: string): EndpointRoute[] {
    if (targetEndpointId !== undefined) {
      const target = this.routes.get(targetEndpointId);
      return target && target.accountId === accountId ? [target] : [];
    }
    const ids = this.byAccount.get(accountId);
    if (!ids) return [];
    const matches: EndpointRoute[] = [];
    for (const id of ids) {
      const route = this.routes.get(id);
      if (route?.enabled && (route.events === null || route.events.has(eventType))) matches.push(route);
    }
    return matches;
  }

  private toRoute(endpoint: EndpointState, seq: number): EndpointRoute {
    const secrets: RouteSecret[] = [];
    let undecryptable = 0;
    for (const stored of endpoint.secrets) {
      try {
        const expiresAt = stored.expires_at === null ? null : Date.parse(stored.expires_at);
        secrets.push({ secret: this.decrypt(stored.ciphertext), expiresAt });
      } catch (error) {
        undecryptable += 1;
        this.onDecryptError(endpoint.id, error);
      }
    }
    return {
      id: endpoint.id,
      accountId: endpoint.account_id,
      url: endpoint.url,
      events: endpoint.events.includes('*') ? null : new Set(endpoint.events),
      enabled: endpoint.enabled,
      secrets,
      undecryptableSecrets: undecryptable,
      state: endpoint,
      subjectSeq: seq,
    };
  }

  private remove(endpointId: string): void {
    const current = this.routes.get(endpointId);
    if (!current) return;
    this.routes.delete(endpointId);
    this.unindex(current);
  }

  private unindex(route: EndpointRoute): void {
    const ids = this.byAccount.get(route.accountId);
    ids?.delete(route.id);
    if (ids?.size === 0) this.byAccount.delete(route.accountId);
  }
}

/** The secrets that sign an attempt made at `now`: the current one plus rotated ones not yet expired. */
export function signingSecrets(route: EndpointRoute, now: number): string[] {
  return route.secrets.filter((s) => s.expiresAt === null || s.expiresAt > now).map((s) => s.secret);
}
