import { useEffect, useRef, useState } from 'react';
import { SseParser } from './sse.js';

export type LiveMode = 'connecting' | 'stream' | 'polling';

const POLL_MS = 2000;
const DEBOUNCE_MS = 250;

/**
 * Calls `onChange` whenever deliveries may have changed: on each event of the live tail (`GET /v1/stream`), or
 * every 2 s once the stream cannot be used (missing route, error, closed). Events only trigger a re-read, so the
 * view never depends on the exact shape of what the stream sends.
 */
export function useLiveTail(streamPath: string, token: string, onChange: () => void): LiveMode {
  const [state, setState] = useState<{ path: string; mode: LiveMode }>({ path: '', mode: 'connecting' });
  const callback = useRef(onChange);
  useEffect(() => {
    callback.current = onChange;
  }, [onChange]);

  useEffect(() => {
    const abort = new AbortController();
    let pollHandle: number | undefined;
    let debounce: number | undefined;
    const changed = () => {
      window.clearTimeout(debounce);
      debounce = window.setTimeout(() => callback.current(), DEBOUNCE_MS);
    };
    const setMode = (mode: LiveMode) => setState({ path: streamPath, mode });
    const poll = () => {
      if (abort.signal.aborted || pollHandle !== undefined) return;
      setMode('polling');
      pollHandle = window.setInterval(() => callback.current(), POLL_MS);
    };
    readStream(
      streamPath,
      token,
      abort.signal,
      () => {
        setMode('stream');
        changed(); // catch up with anything between the first read and the stream opening
      },
      changed,
    ).then(poll, poll);
    return () => {
      abort.abort();
      window.clearInterval(pollHandle);
      window.clearTimeout(debounce);
    };
  }, [streamPath, token]);

  return state.path === streamPath ? state.mode : 'connecting';
}

/** Resolves when the stream ends; rejects when it cannot be opened. */
async function readStream(
  path: string,
  token: string,
  signal: AbortSignal,
  onOpen: () => void,
  onEvent: () => void,
): Promise<void> {
  const headers = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
  let response = await fetch(path, { headers, signal });
  if (response.status === 401) {
    // A stream route built for EventSource reads the token from the query instead of the header.
    await response.body?.cancel();
    const separator = path.includes('?') ? '&' : '?';
    response = await fetch(`${path}${separator}access_token=${encodeURIComponent(token)}`, {
      headers,
      signal,
    });
  }
  const type = response.headers.get('content-type') ?? '';
  if (!response.ok || !response.body || !type.includes('text/event-stream')) {
    await response.body?.cancel();
    throw new Error(`stream unavailable (HTTP ${response.status})`);
  }
  onOpen();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new SseParser();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    if (parser.push(value).length > 0) onEvent();
  }
}
