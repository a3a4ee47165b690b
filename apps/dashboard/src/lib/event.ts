/**
 * `GET /v1/events/:id` returns "the event and its deliveries": either `{event, deliveries}` or the envelope with a
 * `deliveries` field beside it. Either way the payload shown is the envelope a receiver got.
 */
export function envelopeOf(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const record = body as Record<string, unknown>;
  if (typeof record.event === 'object' && record.event !== null) return record.event;
  if (typeof record.payload === 'object' && record.payload !== null) return record.payload;
  if ('deliveries' in record) {
    const { deliveries: _deliveries, ...envelope } = record;
    return envelope;
  }
  return record;
}
