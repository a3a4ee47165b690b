import type { Delivery } from '../api/types.js';

/**
 * A fresh first page over rows already shown (possibly several pages after "load more"): the first page wins for
 * the rows it holds, and the older rows stay below it in their order.
 */
export function mergeFirstPage(fresh: Delivery[], shown: Delivery[]): Delivery[] {
  const ids = new Set(fresh.map((d) => d.id));
  return [...fresh, ...shown.filter((d) => !ids.has(d.id))];
}

/** Appends a further page, dropping rows already shown (a row may move between pages while it is read). */
export function appendPage(shown: Delivery[], more: Delivery[]): Delivery[] {
  const ids = new Set(shown.map((d) => d.id));
  return [...shown, ...more.filter((d) => !ids.has(d.id))];
}
