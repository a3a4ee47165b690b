import { describe, expect, it } from '@jest/globals';
import { SseParser } from './sse.js';

describe('SseParser', () => {
  it('parses named and unnamed events split across chunks', () => {
    const parser = new SseParser();
    expect(parser.push(': connected\n\nevent: delivery\nda')).toEqual([]);
    expect(parser.push('ta: {"id":"d1"}\nid: 7\n\ndata: a\ndata: b\n\n')).toEqual([
      { event: 'delivery', data: '{"id":"d1"}', id: '7' },
      { event: 'message', data: 'a\nb', id: null },
    ]);
  });

  it('handles CRLF line endings and ignores events without data', () => {
    const parser = new SseParser();
    expect(parser.push('event: ping\r\n\r\nevent: attempt\r\ndata:x\r\n\r\n')).toEqual([
      { event: 'attempt', data: 'x', id: null },
    ]);
  });
});
