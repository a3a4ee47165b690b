import { Injectable } from '@nestjs/common';

export type HealthCheck = () => Promise<boolean> | boolean;

/** Apps register their links (NATS, database, "routing map caught up"); /health is ready when all answer true. */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  async run(timeoutMs = 2_000): Promise<{ ok: boolean; checks: Record<string, 'up' | 'down'> }> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await runOne(check, timeoutMs)] as const),
    );
    const checks = Object.fromEntries(entries.map(([name, up]) => [name, up ? 'up' : 'down'] as const));
    return { ok: entries.every(([, up]) => up), checks };
  }
}

async function runOne(check: HealthCheck, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(check), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
