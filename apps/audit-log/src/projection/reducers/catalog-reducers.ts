import { isObject, iso, nullableIso, nullableStr, str, type Json } from './decode.js';

export interface EndpointRow {
  id: string;
  account_id: string;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  disabled_reason: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface AccountRow {
  id: string;
  name: string;
  created_at: string;
}

export interface ApiKeyRow {
  id: string;
  account_id: string;
  key_hash: string | null;
  prefix: string | null;
  created_at: string | null;
  revoked_at: string | null;
}

/** An `EndpointFact` as a row: the snapshot it carries, minus secrets. */
export function reduceEndpointFact(fact: unknown): EndpointRow | undefined {
  if (!isObject(fact) || !isObject(fact.endpoint)) return undefined;
  const e: Json = fact.endpoint;
  const [id, accountId, url] = [str(e.id), str(e.account_id), typeof e.url === 'string' ? e.url : undefined];
  const [createdAt, updatedAt, occurredAt] = [iso(e.created_at), iso(e.updated_at), iso(fact.occurred_at)];
  const version = typeof e.version === 'number' && Number.isInteger(e.version) ? e.version : undefined;
  if (!id || !accountId || url === undefined || !createdAt || version === undefined) return undefined;
  const deleted = fact.type === 'endpoint.deleted';
  return {
    id,
    account_id: accountId,
    url,
    events: Array.isArray(e.events) ? e.events.filter((t): t is string => typeof t === 'string') : [],
    description: nullableStr(e.description) ?? null,
    enabled: e.enabled === true && !deleted,
    disabled_reason: nullableStr(e.disabled_reason) ?? null,
    version,
    created_at: createdAt,
    updated_at: updatedAt ?? occurredAt ?? createdAt,
    deleted_at: deleted ? (occurredAt ?? updatedAt ?? createdAt) : null,
  };
}

/** The newest version of each endpoint (the upsert applies the same rule against the stored row). */
export function foldEndpoints(rows: readonly EndpointRow[]): EndpointRow[] {
  const byId = new Map<string, EndpointRow>();
  for (const row of rows) {
    const seen = byId.get(row.id);
    if (!seen || row.version > seen.version) byId.set(row.id, row);
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

export type AccountRows = { accounts: AccountRow[]; apiKeys: ApiKeyRow[] };

export function reduceAccountFact(fact: unknown): AccountRows | undefined {
  if (!isObject(fact)) return undefined;
  const at = iso(fact.occurred_at);
  if (fact.type === 'account.created' && isObject(fact.account)) {
    const [id, name, createdAt] = [
      str(fact.account.id),
      fact.account.name,
      iso(fact.account.created_at) ?? at,
    ];
    if (!id || typeof name !== 'string' || !createdAt) return undefined;
    return { accounts: [{ id, name, created_at: createdAt }], apiKeys: [] };
  }
  if ((fact.type === 'api_key.created' || fact.type === 'api_key.revoked') && isObject(fact.api_key)) {
    const k = fact.api_key;
    const [id, accountId] = [str(k.id), str(k.account_id)];
    if (!id || !accountId) return undefined;
    if (fact.type === 'api_key.revoked') {
      if (!at) return undefined;
      return { accounts: [], apiKeys: [{ ...emptyKey(id, accountId), revoked_at: at }] };
    }
    const keyHash = str(k.key_hash);
    if (!keyHash) return undefined;
    const row: ApiKeyRow = {
      ...emptyKey(id, accountId),
      key_hash: keyHash,
      prefix: nullableStr(k.prefix) ?? null,
      created_at: nullableIso(k.created_at) ?? at ?? null,
    };
    return { accounts: [], apiKeys: [row] };
  }
  return undefined;
}

function emptyKey(id: string, accountId: string): ApiKeyRow {
  return { id, account_id: accountId, key_hash: null, prefix: null, created_at: null, revoked_at: null };
}

/** One row per account and key: known fields win over unknown ones, the earliest revocation stands. */
export function foldAccountRows(parts: readonly AccountRows[]): AccountRows {
  const accounts = new Map<string, AccountRow>();
  const keys = new Map<string, ApiKeyRow>();
  for (const part of parts) {
    for (const a of part.accounts) accounts.set(a.id, a);
    for (const k of part.apiKeys) {
      const seen = keys.get(k.id);
      keys.set(k.id, seen ? mergeKeys(seen, k) : k);
    }
  }
  return { accounts: [...accounts.values()], apiKeys: [...keys.values()] };
}

function mergeKeys(a: ApiKeyRow, b: ApiKeyRow): ApiKeyRow {
  const revoked = [a.revoked_at, b.revoked_at].filter((t): t is string => t !== null).sort()[0] ?? null;
  return {
    id: a.id,
    account_id: a.account_id,
    key_hash: a.key_hash ?? b.key_hash,
    prefix: a.prefix ?? b.prefix,
    created_at: a.created_at ?? b.created_at,
    revoked_at: revoked,
  };
}
