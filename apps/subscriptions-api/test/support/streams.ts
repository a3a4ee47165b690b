import type { StreamKey } from '@codeplanet/event-schemas';
import type { TestJetStream } from '@codeplanet/jetstream/testing';

export interface StoredMessage {
  stream: string;
  subject: string;
  seq: number;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  headers: Record<string, string>;
}

/** Every message currently stored in one of this suite's streams, oldest first. */
export async function messagesOf(nats: TestJetStream, key: StreamKey): Promise<StoredMessage[]> {
  return messagesOfStream(nats, nats.topology.stream(key));
}

/** Every message of every stream of the suite's prefix. */
export async function allMessages(nats: TestJetStream): Promise<StoredMessage[]> {
  const names: string[] = [];
  for await (const name of nats.jsm.streams.names()) {
    if (name.startsWith(`${nats.prefix}_`)) names.push(name);
  }
  const perStream = await Promise.all(names.map((name) => messagesOfStream(nats, name)));
  return perStream.flat();
}

async function messagesOfStream(nats: TestJetStream, stream: string): Promise<StoredMessage[]> {
  const info = await nats.jsm.streams.info(stream);
  const out: StoredMessage[] = [];
  if (info.state.messages === 0) return out;
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    const msg = await nats.jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (!msg) continue;
    const text = new TextDecoder().decode(msg.data);
    const headers: Record<string, string> = {};
    for (const [name, values] of msg.header ?? []) headers[name] = values.join(',');
    out.push({ stream, subject: msg.subject, seq: msg.seq, text, json: safeJson(text), headers });
  }
  return out;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
