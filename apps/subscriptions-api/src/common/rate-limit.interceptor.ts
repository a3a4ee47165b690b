import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Observable } from 'rxjs';
import { ApiError, actorOf, type RequestWithPrincipal } from '@codeplanet/service-kit';
import { TokenBuckets } from './token-bucket.js';

export const RATE_LIMIT_PER_MINUTE = Symbol('RATE_LIMIT_PER_MINUTE');

/**
 * Per-token rate limit (each API key, the admin token, each service token): 429 with Retry-After. Runs after
 * the auth guard; public routes (health, metrics, catalogue) carry no principal and are not limited.
 */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  private readonly buckets: TokenBuckets;

  constructor(@Inject(RATE_LIMIT_PER_MINUTE) ratePerMinute: number) {
    this.buckets = new TokenBuckets(ratePerMinute);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const principal = http.getRequest<RequestWithPrincipal>().principal;
    if (principal) {
      const verdict = this.buckets.take(actorOf(principal));
      if (!verdict.allowed) {
        void http.getResponse<FastifyReply>().header('retry-after', String(verdict.retryAfterSeconds));
        throw new ApiError(
          429,
          'rate_limited',
          `too many requests; retry after ${verdict.retryAfterSeconds} s`,
        );
      }
    }
    return next.handle();
  }
}
