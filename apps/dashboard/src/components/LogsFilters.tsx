import type { DeliveryFilters, Endpoint, EventTypeInfo } from '../api/types.js';
import { isoToLocalInput, localInputToIso } from '../lib/format.js';

interface Props {
  filters: DeliveryFilters;
  endpoints: Endpoint[] | undefined;
  catalog: EventTypeInfo[] | undefined;
  /** The admin sees every account and may narrow to one. */
  admin: boolean;
  onChange: (next: DeliveryFilters) => void;
}

export function LogsFilters({ filters, endpoints, catalog, admin, onChange }: Props) {
  const set = (patch: Partial<DeliveryFilters>) => onChange({ ...filters, ...patch });
  const active = Object.values(filters).some(Boolean);
  return (
    <div className={admin ? 'filters filters-admin' : 'filters'} data-testid="logs-filters">
      {admin ? (
        <label>
          <span>Account</span>
          <input
            type="text"
            placeholder="acct_…"
            value={filters.account_id ?? ''}
            onChange={(e) => set({ account_id: e.target.value })}
            data-testid="filter-account"
          />
        </label>
      ) : null}
      <label>
        <span>Endpoint</span>
        {endpoints ? (
          <select
            value={filters.endpoint_id ?? ''}
            onChange={(e) => set({ endpoint_id: e.target.value })}
            data-testid="filter-endpoint"
          >
            <option value="">All endpoints</option>
            {endpoints.map((ep) => (
              <option key={ep.id} value={ep.id}>
                {ep.description ? `${ep.description} — ${ep.url}` : ep.url}
              </option>
            ))}
          </select>
        ) : (
          <input
            type="text"
            placeholder="ep_…"
            value={filters.endpoint_id ?? ''}
            onChange={(e) => set({ endpoint_id: e.target.value })}
            data-testid="filter-endpoint"
          />
        )}
      </label>
      <label>
        <span>Event type</span>
        <select
          value={filters.event_type ?? ''}
          onChange={(e) => set({ event_type: e.target.value })}
          data-testid="filter-type"
        >
          <option value="">All types</option>
          {(catalog ?? []).map((item) => (
            <option key={item.type} value={item.type}>
              {item.type}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Status</span>
        <select
          value={filters.status ?? ''}
          onChange={(e) => set({ status: e.target.value as DeliveryFilters['status'] })}
          data-testid="filter-status"
        >
          <option value="">Any status</option>
          <option value="succeeded">✓ succeeded</option>
          <option value="failed">✗ failed</option>
          <option value="pending">⏳ pending</option>
        </select>
      </label>
      <label>
        <span>From</span>
        <input
          type="datetime-local"
          value={isoToLocalInput(filters.since)}
          onChange={(e) => set({ since: localInputToIso(e.target.value) })}
          data-testid="filter-since"
        />
      </label>
      <label>
        <span>To</span>
        <input
          type="datetime-local"
          value={isoToLocalInput(filters.until)}
          onChange={(e) => set({ until: localInputToIso(e.target.value) })}
          data-testid="filter-until"
        />
      </label>
      {active ? (
        <button
          type="button"
          className="btn btn-ghost btn-small"
          onClick={() => onChange({})}
          data-testid="filter-clear"
        >
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
