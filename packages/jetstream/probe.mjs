import { connect, nanos } from '@nats-io/transport-node';
import { jetstreamManager, AckPolicy, RetentionPolicy, StorageType } from '@nats-io/jetstream';
const nc = await connect({ servers: 'nats://127.0.0.1:4222' });
const jsm = await jetstreamManager(nc);
const name = 'PROBE_' + Date.now();
await jsm.streams.add({ name, subjects: [name + '.>'], storage: StorageType.File });
try { await jsm.streams.add({ name, subjects: [name + '.>'], storage: StorageType.File }); console.log('same add ok'); } catch (e) { console.log('same add', e.constructor.name, e.code, e.message); }
try { await jsm.streams.add({ name, subjects: [name + '.>'], storage: StorageType.File, max_age: nanos(1000000) }); console.log('diff add ok'); } catch (e) { console.log('diff add', e.constructor.name, e.code, e.message); }
try { await jsm.streams.update(name, { subjects: [name + '.>'], retention: RetentionPolicy.Workqueue }); console.log('retention update ok'); } catch (e) { console.log('retention upd', e.constructor.name, e.code, e.message); }
const c = { durable_name: 'd1', ack_policy: AckPolicy.Explicit, ack_wait: nanos(5000) };
await jsm.consumers.add(name, c);
try { await jsm.consumers.add(name, c); console.log('same c add ok'); } catch (e) { console.log('same c add', e.constructor.name, e.code, e.message); }
try { await jsm.consumers.add(name, { ...c, ack_wait: nanos(7000) }); console.log('diff c add ok'); } catch (e) { console.log('diff c add', e.constructor.name, e.code, e.message); }
try { await jsm.consumers.update(name, 'd1', { ...c, ack_wait: nanos(7000) }); console.log('c upd ok'); } catch (e) { console.log('c upd', e.constructor.name, e.code, e.message); }
try { await jsm.consumers.update(name, 'd1', { ...c, deliver_policy: 'new' }); console.log('c upd dp ok'); } catch (e) { console.log('c upd dp', e.constructor.name, e.code, e.message); }
try { await jsm.consumers.info(name, 'nope'); } catch (e) { console.log('info missing', e.constructor.name, e.code, e.message); }
try { await jsm.streams.info('NOPE_X'); } catch (e) { console.log('stream missing', e.constructor.name, e.code, e.message); }
try { await jsm.streams.add({ name: name+'R3', subjects: [name + 'r3.>'], num_replicas: 3 }); } catch (e) { console.log('r3', e.constructor.name, e.code, e.message); }
const ci = await jsm.consumers.info(name, 'd1'); console.log(JSON.stringify(ci.config));
await jsm.streams.delete(name);
console.log(nc.info.version);
await nc.close();
