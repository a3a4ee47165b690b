// CPU per NATS op in this process and in nats-server: publishJson, runPullConsumer+ack.
import { readFileSync } from 'node:fs';
import { connectNats, ensureStream, ensureConsumer, publishJson, runPullConsumer, AckPolicy } from '../dist/index.js';
const N = Number(process.env.N ?? 20000);
const natsPid = readFileSync('/proc/self/stat','utf8') && (await import('node:child_process')).execSync('pgrep -x nats-server').toString().trim().split('\n')[0];
const natsCpu = () => { const f = readFileSync(`/proc/${natsPid}/stat`,'utf8').split(') ')[1].split(' '); return (Number(f[11])+Number(f[12]))*10; }; // ms
const me = () => { const u = process.cpuUsage(); return (u.user+u.system)/1000; };
const nc = await connectNats({ servers: ['127.0.0.1:4222'], name: 'opcost' });
const { jetstream, jetstreamManager } = await import('@nats-io/jetstream');
const js = jetstream(nc); const jsm = await jetstreamManager(nc);
const stream = `OPCOST_${process.pid}`;
await jsm.streams.add({ name: stream, subjects: [`opcost${process.pid}.>`], storage: 'file', duplicate_window: 120e9 });
const payload = { type: 'attempt.succeeded', delivery_id: 'dlv_xxxxxxxxxxxxxxxxxxxxxxxxxx', event_id: 'evt_01JABCDEFGHJKMNPQRSTVWXYZ0', data: 'x'.repeat(300) };
async function measure(name, fn) { const c0 = me(), n0 = natsCpu(), t0 = performance.now(); await fn(); const wall = performance.now()-t0; console.log(`${name}: ${(N/wall*1000).toFixed(0)}/s, this process ${((me()-c0)/N*1000).toFixed(1)} µs/op, nats-server ${((natsCpu()-n0)/N*1000).toFixed(1)} µs/op`); }
await measure('publishJson (window 256)', async () => {
  let next = 0; const lane = async () => { while (next < N) { const i = next++; await publishJson(js, `opcost${process.pid}.a`, payload, { msgId: `m${i}` }); } };
  await Promise.all(Array.from({ length: 256 }, lane));
});
await measure('raw js.publish (window 256)', async () => {
  let next = 0; const lane = async () => { while (next < N) { const i = next++; await js.publish(`opcost${process.pid}.b`, JSON.stringify(payload), { msgID: `r${i}` }); } };
  await Promise.all(Array.from({ length: 256 }, lane));
});
await measure('core nc.publish fire-and-forget + flush', async () => {
  for (let i = 0; i < N; i++) nc.publish(`opcostcore${process.pid}`, JSON.stringify(payload)); await nc.flush();
});
await jsm.consumers.add(stream, { durable_name: 'c', ack_policy: AckPolicy.Explicit, max_ack_pending: 10000 });
await measure('runPullConsumer + ack (128 in hand)', async () => {
  let seen = 0; let done; const finished = new Promise(r => done = r);
  const h = runPullConsumer({ js, stream, consumer: 'c', maxInHand: 128, handle: async (m) => { JSON.parse(new TextDecoder().decode(m.data)); m.ack(); if (++seen === N) done(); } });
  await finished; await h.stop();
});
await jsm.consumers.add(stream, { durable_name: 'd', ack_policy: AckPolicy.Explicit, max_ack_pending: 10000 });
await measure('raw consume + ack', async () => {
  const c = await js.consumers.get(stream, 'd'); const msgs = await c.consume({ max_messages: 128 }); let seen = 0;
  for await (const m of msgs) { JSON.parse(new TextDecoder().decode(m.data)); m.ack(); if (++seen === N) break; }
});
await jsm.streams.delete(stream); await nc.close();
