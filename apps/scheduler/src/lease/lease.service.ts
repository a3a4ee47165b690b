import { Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import pg from 'pg';
import { metrics } from '@codeplanet/service-kit';
import { SchedulerSettings } from '../config/env.js';

/** What the leader runs for one term: it must return once `term` is aborted, having finished in-flight work. */
export type LeaderWork = (term: AbortSignal) => Promise<void>;

/**
 * One active scheduler among replicas: a Postgres session-level advisory lock held on a dedicated connection.
 * The lock lives exactly as long as that session, so a killed leader (SIGKILL, crash) loses it the moment its
 * socket closes and the next replica's `pg_try_advisory_lock` succeeds on its next check. A leader that cannot
 * reach Postgres steps down at once; server-side TCP keepalives end a silently partitioned session in seconds.
 */
@Injectable()
export class LeaseService {
  readonly instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly logger = new Logger('Lease');
  private readonly leaderGauge = metrics.gauge(
    'scheduler_leader',
    '1 while this replica holds the scheduler lease',
  );
  private readonly lockKey: string;
  private client: pg.Client | undefined;
  private leader = false;
  private term: { controller: AbortController; done: Promise<void> } | undefined;
  private stepping: Promise<void> | undefined;
  private loop: Promise<void> | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(private readonly settings: SchedulerSettings) {
    this.lockKey = lockKeyFor(settings.env.STREAM_PREFIX);
    this.leaderGauge.set(0);
  }

  isLeader(): boolean {
    return this.leader;
  }

  /** Starts competing for the lease; `work` runs for as long as this replica leads. */
  start(work: LeaderWork): void {
    if (this.loop) return;
    this.stopped = false;
    this.loop = this.run(work);
  }

  /** Ends the current term (waiting for its work), releases the lock and stops competing. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
    await this.stepDown('shutting down');
  }

  private async run(work: LeaderWork): Promise<void> {
    while (!this.stopped) {
      await this.check(work);
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.settings.timings.leaseCheckMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async check(work: LeaderWork): Promise<void> {
    try {
      const client = this.client ?? (await this.connect());
      if (this.leader) {
        await client.query('SELECT 1');
        return;
      }
      if (this.stepping) return;
      const result = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1::bigint) AS locked',
        [this.lockKey],
      );
      if (result.rows[0]?.locked && !this.stopped) this.elect(work);
      else if (result.rows[0]?.locked)
        await client.query('SELECT pg_advisory_unlock($1::bigint)', [this.lockKey]);
    } catch (error) {
      await this.stepDown(
        `lease connection failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.settings.env.DATABASE_URL,
      application_name: `scheduler-lease ${this.instanceId}`.slice(0, 63),
      keepAlive: true,
      keepAliveInitialDelayMillis: 2_000,
      connectionTimeoutMillis: 5_000,
      query_timeout: 5_000,
    });
    client.on('error', (error) => void this.stepDown(`lease connection error: ${error.message}`));
    client.on('end', () => {
      if (this.client === client) void this.stepDown('lease connection closed');
    });
    try {
      await client.connect();
      // The server drops a session whose peer went silent within ~10 s, which frees the lock for a replica.
      await client.query(
        'SET tcp_keepalives_idle = 3; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 3',
      );
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    return client;
  }

  private elect(work: LeaderWork): void {
    this.leader = true;
    this.leaderGauge.set(1);
    this.logger.log(`${this.instanceId} is the leader`);
    const controller = new AbortController();
    const done = work(controller.signal).catch((error: unknown) => {
      this.logger.error(
        `leader work failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    });
    this.term = { controller, done };
  }

  /** Stops the term's work first, then closes the session (which releases the lock if it is still held). */
  private stepDown(reason: string): Promise<void> {
    this.stepping ??= (async () => {
      const term = this.term;
      const wasLeader = this.leader;
      this.leader = false;
      this.leaderGauge.set(0);
      if (term) {
        term.controller.abort();
        await term.done;
        this.term = undefined;
      }
      const client = this.client;
      this.client = undefined;
      if (client) await client.end().catch(() => undefined);
      if (wasLeader) this.logger.warn(`${this.instanceId} stepped down: ${reason}`);
      else if (!this.stopped) this.logger.warn(reason);
    })().finally(() => {
      this.stepping = undefined;
    });
    return this.stepping;
  }
}

/** A 64-bit lock key per deployment (stream prefix), as a decimal string for `::bigint`. */
export function lockKeyFor(prefix: string): string {
  return createHash('sha256').update(`codeplanet-scheduler:${prefix}`).digest().readBigInt64BE(0).toString();
}
