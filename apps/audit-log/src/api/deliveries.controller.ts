import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { Allow, CurrentPrincipal, NotFoundError, type Principal } from '@codeplanet/service-kit';
import type { AttemptView, DeliveryView } from '../views/views.js';
import type { Page } from './cursor.js';
import { ListDeliveriesQuery } from './dto/queries.dto.js';
import { CatalogRepository } from './repositories/catalog.repository.js';
import { DeliveriesRepository } from './repositories/deliveries.repository.js';
import { RetryService, type RetryAccepted } from './retry.service.js';
import { scopeOf } from './scope.js';

@Allow('admin', 'account')
@Controller('v1')
export class DeliveriesController {
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly catalog: CatalogRepository,
    private readonly retries: RetryService,
  ) {}

  @Get('deliveries')
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListDeliveriesQuery,
  ): Promise<Page<DeliveryView>> {
    return this.deliveries.list(scopeOf(principal), query);
  }

  /** The row, its attempts (`attempts` is the list here; the count is `attempt_count`), and the event payload. */
  @Get('deliveries/:id')
  async detail(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    const scope = scopeOf(principal);
    const delivery = await this.deliveries.find(scope, id);
    if (!delivery) throw new NotFoundError('delivery');
    const [attempts, event] = await Promise.all([
      this.deliveries.attempts(scope, id),
      this.catalog.event(scope, delivery.event_id),
    ]);
    return detailView(delivery, attempts, event);
  }

  @Post('deliveries/:id/retry')
  @HttpCode(202)
  retry(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Req() request: { id?: unknown },
  ): Promise<RetryAccepted> {
    return this.retries.retry(principal, id, typeof request.id === 'string' ? request.id : null);
  }

  @Get('events/:id')
  async event(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    const scope = scopeOf(principal);
    const [event, deliveries] = await Promise.all([
      this.catalog.event(scope, id),
      this.deliveries.forEvent(scope, id),
    ]);
    if (!event && deliveries.length === 0) throw new NotFoundError('event');
    return { event, deliveries };
  }
}

/**
 * CONTRACT §4 names the attempt list `attempts`, which is also the row's count: the detail keeps the contract's
 * list under `attempts` and moves the count to `attempt_count`.
 */
export function detailView(
  delivery: DeliveryView,
  attempts: AttemptView[],
  event: Record<string, unknown> | null,
): Omit<DeliveryView, 'attempts'> & { attempt_count: number; attempts: AttemptView[]; event: typeof event } {
  const { attempts: count, ...row } = delivery;
  return { ...row, attempt_count: count, attempts, event };
}
