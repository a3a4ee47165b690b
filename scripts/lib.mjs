// Shared by `npm start` and `npm test`: plain Node, no dependencies, so it runs before anything is installed.
import { spawnSync, spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PNPM_VERSION = '10.34.9';

export function log(message) {
  process.stdout.write(`\x1b[36m▸\x1b[0m ${message}\n`);
}

function works(command, args) {
  const result = spawnSync(command, args, { stdio: 'ignore', shell: false });
  return result.status === 0;
}

/** pnpm as installed, or installed for the user, or run through npx: whichever this machine allows. */
export function pnpmCommand() {
  if (works('pnpm', ['--version'])) return ['pnpm'];
  log(`pnpm not found: installing pnpm@${PNPM_VERSION} with npm`);
  if (
    spawnSync('npm', ['install', '--global', `pnpm@${PNPM_VERSION}`], { stdio: 'inherit' }).status === 0 &&
    works('pnpm', ['--version'])
  ) {
    return ['pnpm'];
  }
  return ['npx', '--yes', `pnpm@${PNPM_VERSION}`];
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: ROOT, ...options });
  return result.status ?? 1;
}

export function mustRun(command, args, options = {}) {
  const status = run(command, args, options);
  if (status !== 0) {
    process.stderr.write(`\n✗ ${command} ${args.join(' ')} failed with exit code ${status}\n`);
    process.exit(status);
  }
}

export function installAndBuild(pnpm) {
  log('installing dependencies');
  mustRun(pnpm[0], [...pnpm.slice(1), 'install', ...(process.env.CI ? ['--frozen-lockfile'] : [])]);
  log('building every package and app');
  mustRun(pnpm[0], [...pnpm.slice(1), 'exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);
}

export function reachable(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function hostPort(url, defaultPort) {
  const parsed = new URL(url.split(',')[0]);
  return [parsed.hostname || '127.0.0.1', Number(parsed.port || defaultPort)];
}

/** Says which of NATS and Postgres do not answer, and what to run; true when both do. */
export async function checkServices() {
  const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/codeplanet_webhooks';
  const missing = [];
  if (!(await reachable(...hostPort(natsUrl, 4222)))) missing.push(`NATS with JetStream at ${natsUrl}`);
  if (!(await reachable(...hostPort(databaseUrl, 5432))))
    missing.push(`PostgreSQL at ${databaseUrl.replace(/\/\/[^@]*@/, '//')}`);
  if (missing.length === 0) return true;
  process.stderr.write(
    `\n✗ Not answering: ${missing.join(' and ')}.\n` +
      '  Start both with Docker:   docker compose -f infra/docker-compose.yml up -d\n' +
      '  or point NATS_URL / DATABASE_URL at servers you have (NATS must run with -js).\n\n',
  );
  return false;
}

/** Starts a long-running child whose lines are prefixed with its name. */
export function startChild(name, color, command, args, env = {}) {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `\x1b[${color}m${name.padEnd(18)}\x1b[0m│ `;
  const forward = (stream) => (chunk) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) stream.write(prefix + line + '\n');
  };
  child.stdout.on('data', forward(process.stdout));
  child.stderr.on('data', forward(process.stderr));
  return child;
}
