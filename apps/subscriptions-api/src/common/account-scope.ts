import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiError, type Principal, type RequestWithPrincipal } from '@codeplanet/service-kit';

declare const scopeBrand: unique symbol;

/**
 * Proof that a request may act on one account. The brand is not exported, so the only way to get a scope is from
 * an authenticated principal (below); repository methods over account data require one, so a query without an
 * account does not compile.
 */
export interface AccountScope {
  readonly accountId: string;
  readonly [scopeBrand]: true;
}

/** The scope of an account key: its own account, nothing else. */
export function scopeOfPrincipal(principal: Principal): AccountScope {
  if (principal.kind !== 'account') {
    throw new ApiError(403, 'account_key_required', 'this route needs an account API key');
  }
  return { accountId: principal.accountId } as AccountScope;
}

/** The admin acts on any account it names (admin routes such as `/v1/admin/accounts/:id/api-keys`). */
export function scopeForAdmin(principal: Principal, accountId: string): AccountScope {
  if (principal.kind !== 'admin') throw new ApiError(403, 'forbidden', 'this route is for the admin token');
  return { accountId } as AccountScope;
}

/** `@CurrentScope() scope: AccountScope` on account routes. */
export const CurrentScope = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AccountScope => {
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    if (!request.principal) throw new Error('@CurrentScope() used on a route without authentication');
    return scopeOfPrincipal(request.principal);
  },
);
