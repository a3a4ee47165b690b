import { createHash, timingSafeEqual } from 'node:crypto';

export type Principal =
  | { kind: 'admin' }
  | { kind: 'service'; tokenIndex: number }
  | { kind: 'account'; accountId: string; keyId: string };

export type PrincipalKind = Principal['kind'];

/** What an app provides (from its own tables) so the guard can turn an API key into an account. */
export interface ApiKeyLookup {
  findAccountByKeyHash(keyHash: string): Promise<{ keyId: string; accountId: string } | null>;
}

export interface AuthOptions {
  adminToken: string;
  serviceTokens?: string[];
}

export const API_KEY_LOOKUP = Symbol('API_KEY_LOOKUP');
export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');

/** Keys are 32 random bytes, so a fast hash is enough: nothing to brute-force. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Compares secrets without leaking their length or content through timing. */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** Actor string for audit facts: `admin`, `service`, or the key id. */
export function actorOf(principal: Principal): string {
  switch (principal.kind) {
    case 'admin':
      return 'admin';
    case 'service':
      return `service:${principal.tokenIndex}`;
    case 'account':
      return principal.keyId;
  }
}
