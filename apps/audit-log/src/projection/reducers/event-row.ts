import { isObject, iso, str } from './decode.js';

export interface EventRow {
  id: string;
  account_id: string;
  type: string;
  created_at: string;
  test: boolean;
  data: Record<string, unknown>;
}

/** The envelope's stored columns; undefined when the value is not an envelope at all. */
export function toEventRow(value: unknown): EventRow | undefined {
  if (!isObject(value)) return undefined;
  const id = str(value.id);
  const account_id = str(value.account_id);
  const type = str(value.type);
  const created_at = iso(value.created_at);
  if (!id || !account_id || !type || !created_at || !isObject(value.data)) return undefined;
  return { id, account_id, type, created_at, test: value.test === true, data: value.data };
}

export function toEnvelope(row: {
  id: string;
  account_id: string;
  type: string;
  created_at: Date | string;
  test: boolean;
  data: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    id: row.id,
    type: row.type,
    account_id: row.account_id,
    created_at: new Date(row.created_at).toISOString(),
    test: row.test,
    data: row.data,
  };
}
