/** The way the apps run it: a Fastify HTTP app with the JetStream transport connected as a microservice. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, Payload } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { publishJson } from '../src/publish.js';
import { JetStreamHealth, JetStreamModule } from '../src/nest/jetstream.module.js';
import { JetStreamEventPattern, JetStreamMsgContext, JetStreamServer } from '../src/nest/jetstream.server.js';
import { JETSTREAM, type JetStreamContext } from '../src/nest/tokens.js';
import { createTestJetStream, type TestJetStream } from '../src/testing.js';
import { waitFor } from './helpers.js';

const received: Array<{ data: unknown; delivery: number }> = [];

@Controller()
class WorkerController {
  constructor(private readonly health: JetStreamHealth) {}

  @Get('health')
  check(): { nats: boolean } {
    return { nats: this.health.isConnected() };
  }

  @JetStreamEventPattern('delivery-worker')
  deliver(@Payload() task: unknown, @Ctx() ctx: JetStreamMsgContext): void {
    received.push({ data: task, delivery: ctx.getDeliveryCount() });
  }
}

describe('hybrid Fastify app with the JetStream transport', () => {
  let t: TestJetStream;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    t = await createTestJetStream({ provision: false });

    @Module({
      imports: [
        JetStreamModule.forRootAsync({
          useFactory: () => ({ servers: 'nats://127.0.0.1:4222', name: 'hybrid-test', prefix: t.prefix }),
        }),
      ],
      controllers: [WorkerController],
    })
    class AppModule {}

    app = await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false });
    const jetstream = app.get<JetStreamContext>(JETSTREAM);
    app.connectMicroservice(
      {
        strategy: new JetStreamServer({
          jetstream,
          consumers: [
            {
              stream: jetstream.topology.stream('deliveries'),
              durable: 'delivery-worker',
              maxInHand: 16,
              config: {
                filter_subject: jetstream.topology.streamSubject('deliveries'),
                max_ack_pending: 1_000,
              },
            },
          ],
        }),
      },
      { inheritAppConfig: true },
    );
    await app.init();
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await t.cleanup();
  });

  it('serves HTTP and consumes the work-queue stream, acking so the queue empties', async () => {
    const res = await fetch(`${url.replace('[::1]', '127.0.0.1')}/health`);
    expect(await res.json()).toEqual({ nats: true });

    await publishJson(t.js, t.topology.delivery('ep_1'), { delivery_id: 'd1' }, { msgId: 'evt_1:ep_1' });
    await waitFor(() => received.length === 1, 5_000, 'delivery');
    expect(received[0]).toEqual({ data: { delivery_id: 'd1' }, delivery: 1 });
    await t.nc.flush();
    const deadline = Date.now() + 3_000;
    let messages = -1;
    while (Date.now() < deadline) {
      messages = (await t.jsm.streams.info(t.topology.stream('deliveries'))).state.messages;
      if (messages === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(messages).toBe(0);
  });
});
