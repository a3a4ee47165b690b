import { describe, expect, it } from '@jest/globals';
import { parseFact } from './endpoint-projector.js';

const endpoint = {
  id: 'ep_1',
  account_id: 'acct_1',
  url: 'https://x.example.com/',
  events: ['*'],
  description: null,
  enabled: true,
  disabled_reason: null,
  secrets: [],
  created_at: '2026-12-04T12:00:00.000Z',
  updated_at: '2026-12-04T12:00:00.000Z',
  version: 1,
};
const message = (value: unknown): { json: () => unknown } => ({
  json: () =>
    value instanceof Error
      ? (() => {
          throw value;
        })()
      : value,
});

describe('parseFact', () => {
  it('accepts a well-formed fact', () => {
    const fact = { type: 'endpoint.updated', endpoint, actor: 'scheduler', occurred_at: endpoint.updated_at };
    expect(parseFact(message(fact) as never)).toEqual(fact);
  });

  it.each([
    ['not JSON', new Error('bad json')],
    ['null', null],
    ['an unknown type', { type: 'endpoint.exploded', endpoint }],
    ['no endpoint', { type: 'endpoint.updated' }],
    ['a version that is not a number', { type: 'endpoint.updated', endpoint: { ...endpoint, version: '2' } }],
    ['secrets that are not a list', { type: 'endpoint.updated', endpoint: { ...endpoint, secrets: 'x' } }],
    ['no account', { type: 'endpoint.updated', endpoint: { ...endpoint, account_id: undefined } }],
  ])('rejects %s', (_name, value) => {
    expect(parseFact(message(value) as never)).toBeNull();
  });
});
