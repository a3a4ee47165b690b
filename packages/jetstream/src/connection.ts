import { connect, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import { defaultLogger, type LogSink } from './logger.js';

export interface ConnectNatsOptions {
  /** `nats://host:port`, comma-separated list or array. */
  servers: string | string[];
  /** Connection name shown by the server (`connz`), e.g. the app name. */
  name: string;
  logger?: LogSink;
  /** Keep retrying the first connect too, instead of failing fast at boot. Default false. */
  waitOnFirstConnect?: boolean;
  /** Any other client option (auth, tls, timeouts); these win over the defaults above. */
  connectionOptions?: Partial<NodeConnectionOptions>;
}

function serverList(servers: string | string[]): string[] {
  const list = Array.isArray(servers) ? servers : servers.split(',');
  return list.map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * Connects with unlimited reconnects: a NATS restart or a cluster node loss must never leave a service
 * permanently disconnected. Connection status changes are logged (one line each, no payloads).
 */
export async function connectNats(options: ConnectNatsOptions): Promise<NatsConnection> {
  const logger = options.logger ?? defaultLogger('NATS');
  const servers = serverList(options.servers);
  if (servers.length === 0) throw new Error('connectNats: no NATS server given');
  const nc = await connect({
    servers,
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1_000,
    reconnectJitter: 250,
    pingInterval: 20_000,
    waitOnFirstConnect: options.waitOnFirstConnect ?? false,
    // No async stack trace captured per request (an Error per JetStream publish/ack request): a measurable share
    // of a busy service's CPU. Errors still carry their own stack.
    noAsyncTraces: true,
    ...options.connectionOptions,
  });
  logger.log(`connected to ${nc.getServer()} as "${options.name}"`);
  void logStatus(nc, logger);
  return nc;
}

async function logStatus(nc: NatsConnection, logger: LogSink): Promise<void> {
  try {
    for await (const s of nc.status()) {
      switch (s.type) {
        case 'disconnect':
          logger.warn(`disconnected from ${s.server}`);
          break;
        case 'reconnecting':
          break;
        case 'reconnect':
          logger.log(`reconnected to ${s.server}`);
          break;
        case 'error':
          logger.error(`connection error: ${s.error.message}`);
          break;
        case 'staleConnection':
          logger.warn('stale connection (missed pings), reconnecting');
          break;
        case 'slowConsumer':
          logger.warn(`slow consumer on subscription ${s.sub.getSubject()}`);
          break;
        case 'ldm':
          logger.warn(`server ${s.server} entered lame duck mode`);
          break;
        case 'close':
          logger.log('connection closed');
          break;
        case 'update':
        case 'ping':
        case 'forceReconnect':
          break;
      }
    }
  } catch (err) {
    logger.error(`status monitor ended: ${String(err)}`);
  }
}
