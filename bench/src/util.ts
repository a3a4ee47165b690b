import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { EVENT_CATALOG, EVENT_TYPES, type EventEnvelope, type EventType } from '@codeplanet/event-schemas';

/** Epoch milliseconds with sub-millisecond precision, comparable across processes of this machine. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Exact percentiles (nearest rank) of a list of milliseconds. */
export function percentiles(values: number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number): number =>
    sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}

/** Polls `check` until it returns true; returns false on timeout. */
export async function until(
  check: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 50,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(intervalMs);
  }
  return check();
}

/** Peak and current resident set of a process, in MiB (from /proc; null when it is gone). */
export async function memoryOf(pid: number | undefined): Promise<{ peakMb: number; rssMb: number } | null> {
  if (!pid) return null;
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string): number =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
  } catch {
    return null;
  }
}

const RUN_TAG = randomBytes(5).toString('hex');
let sequence = 0;

/**
 * A unique event id for this run. Not `newId('evt')`: ulid's generator manages only ~11k ids/s on this machine,
 * which would make the load generator, not the system, the bottleneck.
 */
export function benchEventId(): string {
  sequence += 1;
  return `evt_bench${RUN_TAG}${sequence.toString(36).padStart(8, '0')}`;
}

/** A valid event of the catalogue for this account, with a fresh id; types rotate with `n`. */
export function makeEvent(accountId: string, n: number): EventEnvelope {
  const type: EventType = EVENT_TYPES[n % EVENT_TYPES.length]!;
  const example = EVENT_CATALOG[type].example;
  return {
    ...example,
    id: benchEventId(),
    type,
    account_id: accountId,
    created_at: new Date().toISOString(),
    test: false,
  };
}

export function log(message: string): void {
  process.stderr.write(`\x1b[36m▸\x1b[0m ${message}\n`);
}

export function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** CPU seconds used so far by each process group: the given pids by label, plus servers found by name. */
export async function cpuSnapshot(pids: Record<string, number | undefined>): Promise<Map<string, number>> {
  const { readdir } = await import('node:fs/promises');
  const ticksOf = async (
    pid: string,
    withChildren: boolean,
  ): Promise<{ comm: string; ticks: number } | null> => {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      // utime, stime, cutime and cstime are fields 14–17 of stat, i.e. 11–14 after the command. For a server the
      // reaped children's times count too, so Postgres' short-lived workers (autovacuum, parallel workers) that
      // end between two snapshots are not lost; one that ran across a snapshot is counted once either way. Not
      // for this process: the apps it stops are its children and have their own labels.
      const ticks = (withChildren ? [11, 12, 13, 14] : [11, 12]).reduce(
        (sum, i) => sum + Number(fields[i]),
        0,
      );
      return { comm, ticks };
    } catch {
      return null;
    }
  };
  const byPid = new Map(Object.entries(pids).map(([label, pid]) => [String(pid), label]));
  const out = new Map<string, number>();
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const label = byPid.get(pid);
    const servers = ['postgres', 'nats-server', 'redis-server'];
    if (!label) {
      const info = await ticksOf(pid, true);
      if (info && servers.includes(info.comm))
        out.set(info.comm, (out.get(info.comm) ?? 0) + info.ticks / 100);
      continue;
    }
    const info = await ticksOf(pid, false);
    if (info) out.set(label, (out.get(label) ?? 0) + info.ticks / 100);
  }
  return out;
}

/**
 * CPU seconds per process group spent while `run` runs. `pids` is read at both ends: a process restarted in
 * between (the backlog's worker) has a new pid, and its whole CPU time counts.
 */
export async function cpuDuring<T>(
  pids: () => Record<string, number | undefined>,
  run: () => Promise<T>,
): Promise<{ result: T; cpu: Record<string, number> }> {
  const before = await cpuSnapshot(pids());
  const result = await run();
  return { result, cpu: cpuDelta(before, await cpuSnapshot(pids())) };
}

/** CPU seconds per group between two snapshots, biggest first. */
export function cpuDelta(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const entries = [...after].map(([label, s]) => [label, round(s - (before.get(label) ?? 0), 1)] as const);
  return Object.fromEntries(entries.filter(([, s]) => s > 0).sort((a, b) => b[1] - a[1]));
}
