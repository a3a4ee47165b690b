import { useEffect, useRef } from 'react';

/** Calls `tick` every `delayMs` while `delayMs` is not null. */
export function useInterval(tick: () => void, delayMs: number | null): void {
  const saved = useRef(tick);
  useEffect(() => {
    saved.current = tick;
  }, [tick]);
  useEffect(() => {
    if (delayMs === null) return undefined;
    const handle = window.setInterval(() => saved.current(), delayMs);
    return () => window.clearInterval(handle);
  }, [delayMs]);
}
