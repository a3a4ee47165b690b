import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  AdminOnly,
  Allow,
  ApiError,
  CurrentPrincipal,
  NotFoundError,
  type Principal,
} from '@codeplanet/service-kit';
import type { Page } from './cursor.js';
import { AuditTrailQuery, StatsQuery, TimeRangeQuery } from './dto/queries.dto.js';
import { CatalogRepository } from './repositories/catalog.repository.js';
import { StatsRepository, type EndpointStats } from './repositories/stats.repository.js';
import {
  TrailRepository,
  type AuditTrailView,
  type RejectedEventView,
} from './repositories/trail.repository.js';
import { scopeOf } from './scope.js';
import { DEFAULT_WINDOW, parseWindow } from './stats/stats.js';

@Controller('v1')
export class InsightsController {
  constructor(
    private readonly catalog: CatalogRepository,
    private readonly stats: StatsRepository,
    private readonly trail: TrailRepository,
  ) {}

  @Allow('admin', 'account')
  @Get('endpoints/:id/stats')
  async endpointStats(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query() query: StatsQuery,
  ): Promise<EndpointStats> {
    const window = query.window ?? DEFAULT_WINDOW;
    const windowMs = parseWindow(window);
    if (windowMs === undefined) {
      throw new ApiError(400, 'validation_failed', 'request validation failed', [
        { field: 'window', message: 'window must be between 1m and 30d' },
      ]);
    }
    const scope = scopeOf(principal);
    if (!(await this.catalog.endpoint(scope, id))) throw new NotFoundError('endpoint');
    return this.stats.endpointStats(scope, id, window, windowMs);
  }

  @AdminOnly()
  @Get('audit-trail')
  auditTrail(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AuditTrailQuery,
  ): Promise<Page<AuditTrailView>> {
    return this.trail.auditTrail(scopeOf(principal), query);
  }

  @AdminOnly()
  @Get('rejected-events')
  rejectedEvents(
    @CurrentPrincipal() principal: Principal,
    @Query() query: TimeRangeQuery,
  ): Promise<Page<RejectedEventView>> {
    return this.trail.rejectedEvents(scopeOf(principal), query);
  }

  /** Who the token is: lets the dashboard show admin-only pages and the account name. */
  @Allow('admin', 'account')
  @Get('me')
  me(@CurrentPrincipal() principal: Principal) {
    return principal.kind === 'account'
      ? { kind: 'account', account_id: principal.accountId, key_id: principal.keyId }
      : { kind: principal.kind };
  }
}
