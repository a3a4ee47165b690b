import { useCallback, useEffect, useState } from 'react';
import type { Delivery, DeliveryFilters } from '../api/types.js';
import type { WebhooksApi } from '../api/webhooks.js';
import { appendPage, mergeFirstPage } from './merge.js';

export const PAGE_SIZE = 25;

export interface DeliveriesState {
  rows: Delivery[];
  nextCursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
  /** Re-reads the first page and merges it over the rows shown (live updates). */
  refresh: () => void;
  loadMore: () => void;
}

/** What is shown for one filter set; a state for another filter set is stale and not shown. */
interface Shown {
  key: string;
  rows: Delivery[];
  nextCursor: string | null;
  pages: number;
  error: unknown;
}

export function useDeliveries(api: WebhooksApi, filters: DeliveryFilters): DeliveriesState {
  const key = JSON.stringify(filters);
  const [shown, setShown] = useState<Shown | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const current = shown?.key === key ? shown : null;

  useEffect(() => {
    let live = true;
    api.listDeliveries(JSON.parse(key) as DeliveryFilters, PAGE_SIZE).then(
      (page) => {
        if (live)
          setShown({ key, rows: page.data, nextCursor: page.next_cursor, pages: 1, error: undefined });
      },
      (error: unknown) => {
        if (live) setShown({ key, rows: [], nextCursor: null, pages: 1, error });
      },
    );
    return () => {
      live = false;
    };
  }, [api, key]);

  const update = useCallback(
    (change: (s: Shown) => Shown) => setShown((s) => (s && s.key === key ? change(s) : s)),
    [key],
  );

  const refresh = useCallback(() => {
    api.listDeliveries(JSON.parse(key) as DeliveryFilters, PAGE_SIZE).then(
      (page) =>
        update((s) => ({
          ...s,
          rows: mergeFirstPage(page.data, s.rows),
          // With only the first page shown, its cursor is the one to continue from.
          nextCursor: s.pages === 1 ? page.next_cursor : s.nextCursor,
          error: undefined,
        })),
      (error: unknown) => update((s) => ({ ...s, error })),
    );
  }, [api, key, update]);

  const cursor = current?.nextCursor ?? null;
  const loadMore = useCallback(() => {
    if (!cursor) return;
    setLoadingMore(true);
    api.listDeliveries(JSON.parse(key) as DeliveryFilters, PAGE_SIZE, cursor).then(
      (page) => {
        update((s) => ({
          ...s,
          rows: appendPage(s.rows, page.data),
          nextCursor: page.next_cursor,
          pages: s.pages + 1,
        }));
        setLoadingMore(false);
      },
      (error: unknown) => {
        update((s) => ({ ...s, error }));
        setLoadingMore(false);
      },
    );
  }, [api, key, cursor, update]);

  return {
    rows: current?.rows ?? [],
    nextCursor: cursor,
    loading: current === null,
    loadingMore,
    error: current?.error,
    refresh,
    loadMore,
  };
}
