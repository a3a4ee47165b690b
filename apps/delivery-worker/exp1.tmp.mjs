import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, AckPolicy } from '@nats-io/jetstream';
const nc = await connect({ servers: 'nats://127.0.0.1:4222' });
const jsm = await jetstreamManager(nc); const js = jetstream(nc);
const S = 'DWEXP' + Date.now();
await jsm.streams.add({ name: S, subjects: [S.toLowerCase() + '.>'] });
const ns = (ms) => ms * 1e6;
const backoff = [300, 600, 900, 1200, 1500];
await jsm.consumers.add(S, { durable_name: 'c', ack_policy: AckPolicy.Explicit, backoff: backoff.map(ns), max_deliver: 6, ack_wait: ns(300), max_ack_pending: 100000 });
const mode = process.argv[2];
await js.publish(S.toLowerCase() + '.a', 'x');
const c = await js.consumers.get(S, 'c');
const msgs = await c.consume({ max_messages: 10 });
const t0 = Date.now(); let last = t0;
setTimeout(async () => { console.log('done'); msgs.stop(); await jsm.streams.delete(S); await nc.close(); process.exit(0); }, 9000);
for await (const m of msgs) {
  const now = Date.now();
  console.log('dc', m.info.deliveryCount, 'gap', now - last, 'since', now - t0);
  last = now;
  if (mode === 'nak' && m.info.deliveryCount <= 3) m.nak(1000);
  if (mode === 'nak1' && m.info.deliveryCount === 1) m.nak(2000);
  if (mode === 'work' && m.info.deliveryCount === 2) { for (let i=0;i<6;i++){ await new Promise(r=>setTimeout(r,250)); m.working(); } console.log('worked for 1500 then no ack', Date.now()-t0); last = Date.now(); }
}
