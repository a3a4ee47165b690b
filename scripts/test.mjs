// `npm test`: install, build, run every suite (unit, integration, e2e, browser) through turbo, then print one
// plain line `N passed, N failed` summed from each suite's jest JSON, so an empty run cannot pass unnoticed.
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, checkServices, installAndBuild, log, pnpmCommand, run } from './lib.mjs';

const WORKSPACE_DIRS = ['apps', 'packages', 'examples'];

function suiteDirs() {
  const dirs = [join(ROOT, 'e2e')];
  for (const group of WORKSPACE_DIRS) {
    const base = join(ROOT, group);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base)) dirs.push(join(base, name));
  }
  return dirs;
}

function summarise() {
  let passed = 0;
  let failed = 0;
  const missing = [];
  for (const dir of suiteDirs()) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest) || !JSON.parse(readFileSync(manifest, 'utf8')).scripts?.test) continue;
    const file = join(dir, '.test-results', 'jest.json');
    if (!existsSync(file)) {
      missing.push(dir.slice(ROOT.length));
      continue;
    }
    const result = JSON.parse(readFileSync(file, 'utf8'));
    passed += result.numPassedTests;
    failed += result.numFailedTests + (result.numRuntimeErrorTestSuites ?? 0);
  }
  return { passed, failed, missing };
}

const pnpm = pnpmCommand();
installAndBuild(pnpm);
if (!(await checkServices())) process.exit(1);
for (const dir of suiteDirs()) rmSync(join(dir, '.test-results'), { recursive: true, force: true });

log('running every test suite');
const concurrency = process.env.TEST_CONCURRENCY ?? '3';
const status = run(pnpm[0], [
  ...pnpm.slice(1),
  'exec',
  'turbo',
  'run',
  'test',
  '--continue',
  `--concurrency=${concurrency}`,
]);

const { passed, failed, missing } = summarise();
for (const dir of missing) process.stderr.write(`✗ ${dir}: its test run produced no results\n`);
const totalFailed = failed + missing.length;
process.stdout.write(`\n${passed} passed, ${totalFailed} failed\n`);
process.exit(status !== 0 || totalFailed > 0 || passed === 0 ? 1 : 0);
