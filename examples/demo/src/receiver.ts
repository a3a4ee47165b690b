import { createServer, type Server } from 'node:http';
import { verifyWebhook } from '@codeplanet/signer';

export interface DemoReceiverOptions {
  port: number;
  /** Every n-th request answers 500, to show the retry ladder (0 = never). */
  failEvery: number;
  secret: () => string | undefined;
}

/** What a customer's webhook handler does: verify first, answer fast, dedupe on the event id. */
export function startDemoReceiver(options: DemoReceiverOptions): Promise<Server> {
  const seen = new Set<string>();
  let count = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const secret = options.secret();
      const eventId = String(request.headers['x-codeplanet-event-id']);
      const attempt = String(request.headers['x-codeplanet-attempt']);
      const type = String(request.headers['x-codeplanet-event-type']);
      try {
        if (!secret) throw new Error('no secret yet');
        verifyWebhook({ secret, headers: request.headers, body });
      } catch (error) {
        console.log(`✗ rejected ${eventId}: ${(error as Error).message}`);
        response.writeHead(400).end();
        return;
      }
      count += 1;
      if (options.failEvery > 0 && count % options.failEvery === 0) {
        console.log(`⏳ ${type} ${eventId} attempt ${attempt}: signature ok, answering 500 to show a retry`);
        response.writeHead(500).end('try again');
        return;
      }
      const duplicate = seen.has(eventId) ? ' (duplicate, ignored)' : '';
      seen.add(eventId);
      console.log(`✓ ${type} ${eventId} attempt ${attempt}: signature verified${duplicate}`);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
  });
  return new Promise((resolve) => server.listen(options.port, '127.0.0.1', () => resolve(server)));
}
