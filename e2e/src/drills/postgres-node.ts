/**
 * A PostgreSQL 15 server of a drill's own: initdb into a temporary directory and pg_ctl on a free loopback port,
 * run as the `postgres` user (the server refuses root). A drill can stop and start it without touching the
 * machine's shared server. Durability settings are relaxed (fsync off): drills test the apps, not the disk.
 */
import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../ports.js';

const run = promisify(execFile);
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** Runs a Postgres binary as the `postgres` user when we are root (as on this machine and in CI). */
async function asPostgres(binary: string, args: string[]): Promise<string> {
  const command = join(PG_BIN, binary);
  const asRoot = userInfo().uid === 0;
  const { stdout } = asRoot
    ? await run('runuser', ['-u', 'postgres', '--', command, ...args], { timeout: 60_000 })
    : await run(command, args, { timeout: 60_000 });
  return stdout;
}

export class PostgresNode {
  private running = false;

  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  /** Server URL without a database, e.g. `postgres://postgres@127.0.0.1:54321`. */
  get serverUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.port}`;
  }

  databaseUrl(name: string): string {
    return `${this.serverUrl}/${name}`;
  }

  static async start(): Promise<PostgresNode> {
    const dir = mkdtempSync(join(tmpdir(), 'cpw-drill-pg-'));
    const node = new PostgresNode(await freePort(), dir);
    try {
      await node.chownToPostgres();
      await asPostgres('initdb', [
        '-D',
        node.dataDir,
        '-U',
        'postgres',
        '-A',
        'trust',
        '--no-sync',
        '-E',
        'UTF8',
        '--locale=C',
      ]);
      await node.start();
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    return node;
  }

  private async chownToPostgres(): Promise<void> {
    if (userInfo().uid !== 0) return;
    const { stdout: uid } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(this.dir, Number(uid.trim()), Number(gid.trim()));
  }

  async start(): Promise<void> {
    const options = [
      `-p ${this.port}`,
      `-k ${this.dir}`,
      "-c listen_addresses='127.0.0.1'",
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=200',
    ].join(' ');
    await asPostgres('pg_ctl', [
      '-D',
      this.dataDir,
      '-o',
      options,
      '-l',
      join(this.dir, 'server.log'),
      '-w',
      '-t',
      '60',
      'start',
    ]);
    this.running = true;
  }

  /** `fast` disconnects clients and stops cleanly; `immediate` is a crash (recovery on the next start). */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    if (!this.running) return;
    await asPostgres('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
    this.running = false;
  }

  async createDatabase(name: string): Promise<string> {
    const client = new pg.Client({ connectionString: this.databaseUrl('postgres') });
    await client.connect();
    try {
      await client.query(`create database "${name}"`);
    } finally {
      await client.end();
    }
    return this.databaseUrl(name);
  }

  async destroy(): Promise<void> {
    await this.stop('immediate').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
