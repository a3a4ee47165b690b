import { describe, expect, it } from '@jest/globals';
import type { ApiError, Principal } from '@codeplanet/service-kit';
import type { EndpointsRepository } from '../endpoints/endpoints.repository.js';
import { scopeForAdmin, scopeOfPrincipal, type AccountScope } from './account-scope.js';

/** The contract error code a call throws. */
function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return ((err as ApiError).getResponse() as { error: { code: string } }).error.code;
  }
  return undefined;
}

const account: Principal = { kind: 'account', accountId: 'acct_a', keyId: 'key_a' };
const admin: Principal = { kind: 'admin' };
const service: Principal = { kind: 'service', tokenIndex: 0 };

describe('AccountScope', () => {
  it('comes from an account key, for that key’s account only', () => {
    expect(scopeOfPrincipal(account).accountId).toBe('acct_a');
  });

  it('is refused to the admin and service tokens on account routes', () => {
    expect(codeOf(() => scopeOfPrincipal(admin))).toBe('account_key_required');
    expect(codeOf(() => scopeOfPrincipal(service))).toBe('account_key_required');
  });

  it('is given to the admin for the account it names, and to nobody else that way', () => {
    expect(scopeForAdmin(admin, 'acct_b').accountId).toBe('acct_b');
    expect(codeOf(() => scopeForAdmin(account, 'acct_b'))).toBe('forbidden');
  });

  it('cannot be forged: repositories reject plain ids and look-alike objects at compile time', () => {
    const calls: string[] = [];
    const repository = {
      find: (scope: AccountScope, id: string) => {
        calls.push(`${scope.accountId}/${id}`);
        return Promise.resolve(null);
      },
    } as unknown as EndpointsRepository;
    // Never run: `pnpm typecheck` fails if either call compiles.
    const forged = (): void => {
      // @ts-expect-error an account id is not a scope
      void repository.find('acct_a', 'ep_1');
      // @ts-expect-error neither is an object that merely looks like one
      void repository.find({ accountId: 'acct_a' }, 'ep_1');
    };
    expect(typeof forged).toBe('function');
    void repository.find(scopeOfPrincipal(account), 'ep_1');
    expect(calls).toEqual(['acct_a/ep_1']);
  });
});
