import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Allow, CurrentPrincipal, NotFoundError, type Principal } from '@codeplanet/service-kit';
import { StreamQuery } from '../api/dto/queries.dto.js';
import { CatalogRepository } from '../api/repositories/catalog.repository.js';
import { scopeOf } from '../api/scope.js';
import type { LiveChange } from '../projection/projector.js';
import { LiveTail } from './live-tail.js';

const HEARTBEAT_MS = 15_000;
/** A client this far behind is cut off; it reconnects and reloads the list. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * `GET /v1/stream[?endpoint_id=][&account_id=]`: Server-Sent Events of delivery and attempt changes, as they are
 * projected. Events: `ready` (once), then `delivery` (a delivery row, as in GET /v1/deliveries) and `attempt` (an
 * attempt, as in the detail route). No replay on reconnect: reload the list, then follow the stream.
 */
@Allow('admin', 'account')
@Controller('v1')
export class StreamController {
  constructor(
    private readonly live: LiveTail,
    private readonly catalog: CatalogRepository,
  ) {}

  @Get('stream')
  async stream(
    @CurrentPrincipal() principal: Principal,
    @Query() query: StreamQuery,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const scope = scopeOf(principal);
    if (query.endpoint_id && !(await this.catalog.endpoint(scope, query.endpoint_id))) {
      throw new NotFoundError('endpoint');
    }
    const wanted = (change: LiveChange): boolean =>
      (scope.kind === 'all' || change.row.account_id === scope.accountId) &&
      (!query.account_id || change.row.account_id === query.account_id) &&
      (!query.endpoint_id || change.row.endpoint_id === query.endpoint_id);

    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const send = (event: string, data: unknown): void => {
      if (raw.writableLength > MAX_BUFFERED_BYTES) return close();
      raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    let closed = false;
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const close = (): void => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      raw.end();
    };
    const unsubscribe = this.live.subscribe((change) => {
      if (wanted(change)) send(change.kind, change.row);
    }, close);
    request.raw.on('close', close);
    raw.write('retry: 3000\n\n');
    send('ready', { endpoint_id: query.endpoint_id ?? null, account_id: query.account_id ?? null });
  }
}
