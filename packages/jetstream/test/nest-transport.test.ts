import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Inject, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { publishJson } from '../src/publish.js';
import { JetStreamHealth, JetStreamModule } from '../src/nest/jetstream.module.js';
import { JetStreamEventPattern, JetStreamMsgContext, JetStreamServer } from '../src/nest/jetstream.server.js';
import { JETSTREAM, type JetStreamContext } from '../src/nest/tokens.js';
import { createTestJetStream, type TestJetStream } from '../src/testing.js';
import { sleep, waitFor } from './helpers.js';

interface Seen {
  data: unknown;
  subject: string;
  delivery: number;
}

const seen: Seen[] = [];
const audited: unknown[] = [];

@Controller()
class OutcomeHandler {
  constructor(@Inject(JETSTREAM) readonly jetstream: JetStreamContext) {}

  @JetStreamEventPattern('projector')
  handle(@Payload() data: { kind: string }, @Ctx() ctx: JetStreamMsgContext): Promise<void> {
    seen.push({ data, subject: ctx.getSubject(), delivery: ctx.getDeliveryCount() });
    if (data.kind === 'flaky' && ctx.getDeliveryCount() === 1) return Promise.reject(new Error('try again'));
    if (data.kind === 'poison') ctx.getMessage().term('not for us');
    if (data.kind === 'slow') return sleep(400);
    return Promise.resolve();
  }

  // The plain decorator works too once its type argument is given (see JetStreamEventPattern).
  @EventPattern<string>('auditor')
  audit(@Payload() data: unknown): void {
    audited.push(data);
  }
}

describe('JetStreamModule + JetStreamServer', () => {
  let t: TestJetStream;
  let app: INestMicroservice;
  let stream: string;

  beforeAll(async () => {
    t = await createTestJetStream({ provision: false });
    stream = t.topology.stream('outcomes');

    @Module({
      imports: [
        JetStreamModule.forRootAsync({
          useFactory: () => ({ servers: 'nats://127.0.0.1:4222', name: 'nest-test', prefix: t.prefix }),
        }),
      ],
      controllers: [OutcomeHandler],
    })
    class AppModule {}

    const server = new JetStreamServer({
      jetstream: () => app.get<JetStreamContext>(JETSTREAM),
      nakDelayMs: 200,
      consumers: [
        {
          stream,
          durable: 'projector',
          maxInHand: 8,
          config: { filter_subject: t.topology.outcome('>'), ack_wait: 30_000_000_000 },
        },
        { stream: t.topology.stream('audit'), durable: 'auditor', maxInHand: 1, config: {} },
      ],
    });
    server.on('error', () => undefined);
    app = await NestFactory.createMicroservice(AppModule, { strategy: server, logger: false });
    await app.init(); // provisions the streams
    await app.listen(); // creates the consumer and starts pulling
  });

  afterAll(async () => {
    await app?.close();
    await t.cleanup();
  });

  it('provisions the streams on init and reports the connection healthy', async () => {
    const info = await t.jsm.streams.info(stream);
    expect(info.config.subjects).toEqual([`${t.prefix}.outcomes.>`]);
    expect(app.get(JetStreamHealth).isConnected()).toBe(true);
    expect(await app.get(JetStreamHealth).ping()).toBe(true);
  });

  it('delivers the decoded payload and the raw message to the handler, then acks', async () => {
    const ack = await publishJson(t.js, t.topology.outcome('ep_1'), { kind: 'ok' });
    await waitFor(() => seen.some((s) => (s.data as { kind: string }).kind === 'ok'), 5_000, 'handler call');
    expect(seen.find((s) => (s.data as { kind: string }).kind === 'ok')).toEqual({
      data: { kind: 'ok' },
      subject: t.topology.outcome('ep_1'),
      delivery: 1,
    });
    await t.nc.flush();
    await sleep(100);
    const info = await t.jsm.consumers.info(stream, 'projector');
    expect(info.ack_floor.stream_seq).toBeGreaterThanOrEqual(ack.seq);
    expect(info.num_ack_pending).toBe(0);
  });

  it('routes each consumer to its own pattern', async () => {
    await publishJson(t.js, t.topology.audit('acct_1'), { action: 'endpoint.created' });
    await waitFor(() => audited.length === 1, 5_000, 'audit handler');
    expect(audited).toEqual([{ action: 'endpoint.created' }]);
  });

  it('naks (never terms) when the handler throws, so the message comes back', async () => {
    await publishJson(t.js, t.topology.outcome('ep_2'), { kind: 'flaky' });
    await waitFor(
      () => seen.filter((s) => (s.data as { kind: string }).kind === 'flaky').length === 2,
      5_000,
      'retry',
    );
    const flaky = seen.filter((s) => (s.data as { kind: string }).kind === 'flaky');
    expect(flaky.map((s) => s.delivery)).toEqual([1, 2]);
  });

  it('lets the handler answer itself (term) without a second answer from the transport', async () => {
    await publishJson(t.js, t.topology.outcome('ep_3'), { kind: 'poison' });
    await waitFor(() => seen.some((s) => (s.data as { kind: string }).kind === 'poison'), 5_000, 'poison');
    await sleep(500);
    expect(seen.filter((s) => (s.data as { kind: string }).kind === 'poison')).toHaveLength(1);
    const info = await t.jsm.consumers.info(stream, 'projector');
    expect(info.num_ack_pending).toBe(0);
  });

  it('terms payloads that are not JSON', async () => {
    const before = seen.length;
    await t.js.publish(t.topology.outcome('ep_4'), new TextEncoder().encode('not json{'));
    await sleep(500);
    expect(seen.length).toBe(before);
    const info = await t.jsm.consumers.info(stream, 'projector');
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
  });

  it('on shutdown, finishes and acks in-flight work before draining the connection', async () => {
    const ctx = app.get<JetStreamContext>(JETSTREAM);
    const ack = await publishJson(t.js, t.topology.outcome('ep_5'), { kind: 'slow' });
    await waitFor(
      () => seen.some((s) => (s.data as { kind: string }).kind === 'slow'),
      5_000,
      'slow handler',
    );
    await app.close();
    const info = await t.jsm.consumers.info(stream, 'projector');
    expect(info.num_ack_pending).toBe(0);
    expect(info.ack_floor.stream_seq).toBeGreaterThanOrEqual(ack.seq);
    expect(ctx.nc.isClosed()).toBe(true);
    expect(ctx.isConnected()).toBe(false);
  });
});
