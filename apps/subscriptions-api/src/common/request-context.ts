import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { actorOf, type Principal, type RequestWithPrincipal } from '@codeplanet/service-kit';

/** Who is asking and under which request id: what the audit trail records for every mutation. */
export interface RequestContext {
  principal: Principal;
  /** `key_...`, `admin` or `service:<n>`. */
  actor: string;
  /** `x-request-id` when the caller sent one, else the id generated for this request. */
  requestId: string;
}

export const Ctx = createParamDecorator((_data: unknown, context: ExecutionContext): RequestContext => {
  const request = context.switchToHttp().getRequest<RequestWithPrincipal & { id?: string }>();
  if (!request.principal) throw new Error('@Ctx() used on a route without authentication');
  return {
    principal: request.principal,
    actor: actorOf(request.principal),
    requestId: String(request.id ?? ''),
  };
});
