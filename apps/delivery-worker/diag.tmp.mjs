import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { createTopology, exampleEvent, newId } from '@codeplanet/event-schemas';
import { provisionStreams, publishJson, deleteStreamsWithPrefix } from '@codeplanet/jetstream';
import { DEV_SECRETS_KEYRING, createSecretBox, generateSecret } from '@codeplanet/signer';
const prefix = 'tdiag' + Math.floor(Math.random()*1e6);
const topology = createTopology(prefix);
const nc = await connect({ servers: 'nats://127.0.0.1:4222' });
const jsm = await jetstreamManager(nc); const js = jetstream(nc);
await provisionStreams(jsm, topology);
let open = 0, maxOpen = 0, hangCount = 0; const healthy = new Map();
const server = createServer((req, res) => { let b=''; req.on('data', c => b += c); req.on('end', () => {
  if (req.url === '/hang') { hangCount++; open++; maxOpen = Math.max(open, maxOpen); res.on('close', () => open--); return; }
  healthy.set(JSON.parse(b).id, Date.now()); res.writeHead(200).end(); }); });
await new Promise(r => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;
const box = createSecretBox(DEV_SECRETS_KEYRING);
async function ep(account, path) {
  const now = new Date().toISOString(); const id = newId('ep');
  const state = { id, account_id: account, url: base + path, events: ['*'], description: null, enabled: true, disabled_reason: null, secrets: [{ ciphertext: box.encrypt(generateSecret()), created_at: now, expires_at: null }], created_at: now, updated_at: now, version: 1 };
  await publishJson(js, topology.endpoint(account, id), { type: 'endpoint.created', endpoint: state, actor: 't', occurred_at: now });
}
const hangAcct = newId('acct'), okAcct = newId('acct');
await ep(hangAcct, '/hang'); await ep(okAcct, '/ok');
const child = spawn(process.execPath, ['dist/main.js'], { env: { PATH: process.env.PATH, STREAM_PREFIX: prefix, PORT: '0', RETRY_SCHEDULE: '100ms,200ms,300ms,400ms,500ms', DELIVERY_TIMEOUT: process.env.DT ?? '3s', LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
let out = ''; child.stdout.on('data', d => out += d); child.stderr.on('data', d => out += d);
while (!/listening on/.test(out)) await new Promise(r => setTimeout(r, 50));
const t0 = Date.now();
const stat = async () => {
  const d = await jsm.consumers.info(topology.stream('deliveries'), 'first-attempts');
  const e = await jsm.consumers.info(topology.stream('events'), 'fanout');
  console.log(`+${Date.now()-t0} events pending ${e.num_pending} ackp ${e.num_ack_pending} | deliv pending ${d.num_pending} ackp ${d.num_ack_pending} redel ${d.num_redelivered} | hang reqs ${hangCount} open ${open} max ${maxOpen} | healthy ${healthy.size}`);
};
const timer = setInterval(() => void stat(), 500);
const flood = Array.from({ length: 1000 }, () => exampleEvent('payment.completed', { account_id: hangAcct, test: false }));
await Promise.all(flood.map(ev => publishJson(js, topology.event(ev.type), ev, { msgId: ev.id })));
console.log('flood published', Date.now() - t0);
const pub = new Map();
for (let i = 0; i < 60; i++) { const ev = exampleEvent('payment.completed', { account_id: okAcct, test: false }); pub.set(ev.id, Date.now()); await publishJson(js, topology.event(ev.type), ev, { msgId: ev.id }); await new Promise(r => setTimeout(r, 50)); }
await new Promise(r => setTimeout(r, 3000));
clearInterval(timer);
const lat = [...pub].map(([id, t]) => (healthy.get(id) ?? NaN) - t);
console.log('latencies', lat.join(' '));
child.kill('SIGTERM'); await new Promise(r => child.on('exit', r));
console.log(out.split("\n").filter(l => /SEND|DONE/.test(l)).slice(0, 40).join("\n")); console.log(out.split('\n').filter(l => /WARN|ERROR/.test(l)).slice(0, 10).join('\n'));
server.closeAllConnections(); server.close();
await deleteStreamsWithPrefix(jsm, prefix); await nc.close();
