import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal, PrincipalKind } from './principal.js';

export const PUBLIC_ROUTE = 'codeplanet:public';
export const ALLOWED_PRINCIPALS = 'codeplanet:allowed-principals';

/** No token needed (health, metrics, catalogue). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** Restricts a route or controller to some principal kinds; unrestricted routes accept admin and account keys. */
export const Allow = (...kinds: PrincipalKind[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ALLOWED_PRINCIPALS, kinds);

export const AdminOnly = (): MethodDecorator & ClassDecorator => Allow('admin');

export interface RequestWithPrincipal {
  principal?: Principal;
  headers: Record<string, string | string[] | undefined>;
}

export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    if (!request.principal) throw new Error('CurrentPrincipal used on a route without authentication');
    return request.principal;
  },
);
