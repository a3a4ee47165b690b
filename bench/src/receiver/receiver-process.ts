/**
 * The benchmark receiver, run as its own process (forked by `BenchReceiver`) so that its event loop never competes
 * with the publisher's timers. It records, per `<path>|<event id>`, when the request's head arrived ("first byte":
 * Node emits `request` once the head is parsed), and answers according to the path's first segment:
 * `/ok/...` → 200, `/fail/...` → 500, `/hang/...` → never answers (the socket is held until reset/stop).
 *
 * Parent ⇄ child messages are `ReceiverCommand` / `ReceiverReply` (see protocol.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ReceiverCommand, ReceiverReply, ReceiverStats } from './protocol.js';

const firstArrival = new Map<string, number>();
/** Unique arrivals per path, so counting one scenario's endpoints does not walk every key. */
const perPath = new Map<string, number>();
const sockets = new Set<Socket>();
let total = 0;
let duplicates = 0;
let hanging = new Set<ServerResponse>();
const byMode = { ok: 0, fail: 0, hang: 0 };

const epochNow = (): number => performance.timeOrigin + performance.now();

function modeOf(url: string): 'ok' | 'fail' | 'hang' {
  if (url.startsWith('/fail/')) return 'fail';
  if (url.startsWith('/hang/')) return 'hang';
  return 'ok';
}

function onRequest(request: IncomingMessage, response: ServerResponse): void {
  const arrivedAt = epochNow();
  const url = request.url ?? '/';
  const id = request.headers['x-codeplanet-event-id'];
  const key = `${url}|${typeof id === 'string' ? id : ''}`;
  total += 1;
  if (firstArrival.has(key)) duplicates += 1;
  else {
    firstArrival.set(key, arrivedAt);
    perPath.set(url, (perPath.get(url) ?? 0) + 1);
  }
  const mode = modeOf(url);
  byMode[mode] += 1;
  // Drain the body without keeping it: the signature is the sender's cost, not ours.
  request.on('data', () => undefined);
  request.on('end', () => {
    if (mode === 'hang') {
      hanging.add(response);
      response.on('close', () => hanging.delete(response));
      return;
    }
    response.statusCode = mode === 'fail' ? 500 : 200;
    response.end(mode === 'fail' ? 'failing on purpose' : 'ok');
  });
}

function stats(): ReceiverStats {
  return { unique: firstArrival.size, duplicates, total, ...byMode, hanging: hanging.size };
}

/** Counts unique arrivals on paths starting with one of the prefixes (e.g. `/ok/closed-1/`). */
function countPrefixed(prefixes: string[]): number {
  let n = 0;
  for (const [path, count] of perPath) if (prefixes.some((p) => path.startsWith(p))) n += count;
  return n;
}

const server = createServer(
  { keepAliveTimeout: 60_000, requestTimeout: 0, headersTimeout: 60_000 },
  onRequest,
);
server.maxHeadersCount = 64;
server.on('connection', (socket: Socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
});

function reply(message: ReceiverReply): void {
  process.send?.(message);
}

process.on('message', (command: ReceiverCommand) => {
  switch (command.cmd) {
    case 'stats':
      reply({ id: command.id, stats: stats() });
      break;
    case 'count':
      reply({ id: command.id, count: countPrefixed(command.prefixes) });
      break;
    case 'dump': {
      const arrivals: [string, number][] = [];
      for (const [key, at] of firstArrival)
        if (command.prefixes.some((p) => key.startsWith(p))) arrivals.push([key, at]);
      reply({ id: command.id, arrivals });
      break;
    }
    case 'reset':
      firstArrival.clear();
      perPath.clear();
      total = 0;
      duplicates = 0;
      byMode.ok = 0;
      byMode.fail = 0;
      byMode.hang = 0;
      for (const response of hanging) response.destroy();
      hanging = new Set();
      reply({ id: command.id, stats: stats() });
      break;
    case 'stop':
      for (const socket of sockets) socket.destroy();
      server.close(() => process.exit(0));
      break;
  }
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  reply({ id: 0, port: typeof address === 'object' && address ? address.port : 0 });
});
