// `pnpm bench`: install, build, check NATS/Postgres/Redis, then run bench/dist/main.js, which prints one table and
// writes BENCHMARKS.md. Quick run: `BENCH_SCALE=0.1 pnpm bench`. Not part of `npm test`.
// Other knobs (see bench/README.md): BENCH_ONLY, BENCH_PROFILE, BENCH_OUTPUT, BENCH_VERBOSE, BENCH_SKIP_BUILD.
import { join } from 'node:path';
import { ROOT, checkServices, installAndBuild, log, pnpmCommand, reachable, run } from './lib.mjs';

if (!process.env.BENCH_SKIP_BUILD) installAndBuild(pnpmCommand());
if (!(await checkServices())) process.exit(1);
const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
if (!(await reachable(redis.hostname, Number(redis.port || 6379)))) {
  process.stderr.write(
    `\n✗ Not answering: Redis at ${redis.host} (the BullMQ baseline needs it). Set REDIS_URL or start Redis.\n`,
  );
  process.exit(1);
}
log(`running the benchmark (BENCH_SCALE=${process.env.BENCH_SCALE ?? 1})`);
const status = run(process.execPath, [join(ROOT, 'bench', 'dist', 'main.js')]);
// Keep the generated file in the repository's format (`pnpm check` runs prettier --check).
const output = process.env.BENCH_OUTPUT ?? join(ROOT, 'BENCHMARKS.md');
if (output !== '-')
  run(join(ROOT, 'node_modules', '.bin', 'prettier'), ['--write', '--log-level=warn', output]);
process.exit(status);
