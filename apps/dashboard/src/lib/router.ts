import { useEffect, useState } from 'react';

/**
 * Hash routes, so that audit-log can serve `dist/` as plain static files at `/` with no fallback route:
 * `#/endpoints`, `#/endpoints/new`, `#/endpoints/:id`, `#/logs?endpoint_id=`, `#/deliveries/:id`.
 */
export type Route =
  | { page: 'endpoints' }
  | { page: 'new-endpoint' }
  | { page: 'endpoint'; id: string }
  | { page: 'logs'; query: URLSearchParams }
  | { page: 'delivery'; id: string };

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/endpoints';
  const [path = '', search = ''] = raw.split('?', 2);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [head, id] = parts;
  if (head === 'endpoints' && id === 'new') return { page: 'new-endpoint' };
  if (head === 'endpoints' && id) return { page: 'endpoint', id };
  if (head === 'logs') return { page: 'logs', query: new URLSearchParams(search) };
  if (head === 'deliveries' && id) return { page: 'delivery', id };
  return { page: 'endpoints' };
}

export const href = {
  endpoints: () => '#/endpoints',
  newEndpoint: () => '#/endpoints/new',
  endpoint: (id: string) => `#/endpoints/${encodeURIComponent(id)}`,
  logs: (query: Record<string, string> = {}) => {
    const search = new URLSearchParams(query).toString();
    return search ? `#/logs?${search}` : '#/logs';
  },
  delivery: (id: string) => `#/deliveries/${encodeURIComponent(id)}`,
};

export function navigate(to: string, { replace = false } = {}): void {
  if (replace) window.location.replace(to);
  else window.location.hash = to;
}

export function useRoute(): Route {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return parseRoute(hash);
}
