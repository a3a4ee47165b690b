import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiError } from '../http/api-error.js';
import { ALLOWED_PRINCIPALS, PUBLIC_ROUTE, type RequestWithPrincipal } from './decorators.js';
import {
  API_KEY_LOOKUP,
  AUTH_OPTIONS,
  hashApiKey,
  safeEqual,
  type ApiKeyLookup,
  type AuthOptions,
  type Principal,
  type PrincipalKind,
} from './principal.js';

const DEFAULT_KINDS: PrincipalKind[] = ['admin', 'account'];

/**
 * `Authorization: Bearer <token>`: the admin token, a service token, or an account key (`cpk_...`), looked up by
 * its hash. Register as APP_GUARD in an app module that also provides API_KEY_LOOKUP and AUTH_OPTIONS.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_KEY_LOOKUP) private readonly keys: ApiKeyLookup,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    const principal = await this.authenticate(bearerToken(request));
    const allowed =
      this.reflector.getAllAndOverride<PrincipalKind[]>(ALLOWED_PRINCIPALS, targets) ?? DEFAULT_KINDS;
    if (!allowed.includes(principal.kind)) {
      throw new ApiError(403, 'forbidden', `this route is for ${allowed.join(' or ')} tokens`);
    }
    request.principal = principal;
    return true;
  }

  private async authenticate(token: string | undefined): Promise<Principal> {
    if (!token) throw new ApiError(401, 'unauthorized', 'missing Authorization: Bearer <token> header');
    if (safeEqual(token, this.options.adminToken)) return { kind: 'admin' };
    const serviceIndex = (this.options.serviceTokens ?? []).findIndex((candidate) =>
      safeEqual(token, candidate),
    );
    if (serviceIndex >= 0) return { kind: 'service', tokenIndex: serviceIndex };
    if (token.startsWith('cpk_')) {
      const found = await this.keys.findAccountByKeyHash(hashApiKey(token));
      if (found) return { kind: 'account', accountId: found.accountId, keyId: found.keyId };
    }
    throw new ApiError(401, 'unauthorized', 'the token is not valid');
  }
}

function bearerToken(request: RequestWithPrincipal): string | undefined {
  const header = request.headers.authorization;
  const value = Array.isArray(header) ? header[0] : header;
  const match = value ? /^Bearer\s+(\S+)$/i.exec(value) : null;
  return match?.[1];
}
