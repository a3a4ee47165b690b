import { getPriority, setPriority } from 'node:os';

/**
 * Raises this process's niceness to `nice` (0–19; higher = yields the CPU to others sooner). It never lowers it:
 * that needs privileges, and a process started under `nice` keeps what its operator chose. On Linux this applies to
 * the calling (main) thread and the threads it starts later, which is where a Node process spends its CPU.
 * Returns the niceness in effect.
 */
export function applyCpuNice(nice: number): number {
  if (!Number.isInteger(nice) || nice < 0 || nice > 19) {
    throw new RangeError(`CPU_NICE must be an integer from 0 to 19, got ${nice}`);
  }
  const current = getPriority();
  if (nice <= current) return current;
  setPriority(nice);
  return getPriority();
}
