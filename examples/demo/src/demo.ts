/**
 * The newcomer's first look: a receiver on :4000, an account whose endpoint points at it, and a producer that
 * publishes an event every couple of seconds. Every delivery that arrives is verified and printed.
 */
import { produceEvents, signUpDemoAccount, type DemoAccount } from './producer.js';
import { startDemoReceiver } from './receiver.js';

const env = process.env;
const apiUrl = env.SUBSCRIPTIONS_API_URL ?? 'http://127.0.0.1:3001';
const dashboardUrl = env.DASHBOARD_URL ?? 'http://127.0.0.1:3002';
const receiverPort = Number(env.DEMO_RECEIVER_PORT ?? 4000);

// The receiver starts first (the endpoint must answer), and learns its secret once the endpoint exists.
const signedUp: { account?: DemoAccount } = {};
const receiver = await startDemoReceiver({
  port: receiverPort,
  failEvery: Number(env.DEMO_FAIL_EVERY ?? 5),
  secret: () => signedUp.account?.secret,
});
const account = await signUpDemoAccount(
  apiUrl,
  env.ADMIN_TOKEN ?? 'dev-admin-token',
  `http://127.0.0.1:${receiverPort}/webhooks`,
);
signedUp.account = account;
console.log(`demo account ${account.accountId}, endpoint ${account.endpointId}`);
console.log(`dashboard: ${dashboardUrl}  — sign in with the API key ${account.apiKey}`);
const stop = await produceEvents(
  env.NATS_URL ?? 'nats://127.0.0.1:4222',
  env.STREAM_PREFIX ?? '',
  account.accountId,
  Number(env.DEMO_INTERVAL_MS ?? 2000),
);

const shutdown = (): void => {
  void stop().then(() => receiver.close(() => process.exit(0)));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
