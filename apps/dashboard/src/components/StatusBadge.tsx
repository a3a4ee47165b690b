import type { DeliveryStatus } from '../api/types.js';
import { STATUS_SYMBOL } from '../lib/format.js';

export function StatusBadge({ status, testId = 'status' }: { status: DeliveryStatus; testId?: string }) {
  return (
    <span className={`status status-${status}`} data-testid={testId} data-status={status} title={status}>
      <span aria-hidden="true">{STATUS_SYMBOL[status]}</span> {status}
    </span>
  );
}

export function EnabledBadge({ enabled, reason }: { enabled: boolean; reason?: string | null | undefined }) {
  return enabled ? (
    <span className="pill pill-on" data-testid="endpoint-state" data-enabled="true">
      Enabled
    </span>
  ) : (
    <span
      className="pill pill-off"
      data-testid="endpoint-state"
      data-enabled="false"
      title={reason ?? undefined}
    >
      Disabled{reason ? ` — ${reason}` : ''}
    </span>
  );
}
