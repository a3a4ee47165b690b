import type { EventTypeInfo } from '../api/types.js';

interface Props {
  catalog: EventTypeInfo[];
  /** A list of types, or `['*']`. */
  value: string[];
  onChange: (next: string[]) => void;
  error?: string | undefined;
}

/** Checkboxes over the catalogue, plus "All events" which subscribes to `["*"]` (including future types). */
export function EventPicker({ catalog, value, onChange, error }: Props) {
  const all = value.includes('*');
  const toggle = (type: string, checked: boolean) => {
    const current = value.filter((t) => t !== '*');
    onChange(checked ? [...current, type] : current.filter((t) => t !== type));
  };
  return (
    <fieldset className={error ? 'events invalid' : 'events'} data-testid="event-picker">
      <legend>Events</legend>
      <label className="check check-all">
        <input
          type="checkbox"
          checked={all}
          onChange={(e) => onChange(e.target.checked ? ['*'] : [])}
          data-testid="events-all"
        />
        <span>
          <strong>All events</strong> <span className="muted">— including types added later</span>
        </span>
      </label>
      <div className="event-grid">
        {catalog.map((item) => (
          <label key={item.type} className={all ? 'check disabled' : 'check'}>
            <input
              type="checkbox"
              disabled={all}
              checked={all || value.includes(item.type)}
              onChange={(e) => toggle(item.type, e.target.checked)}
              data-testid={`event-${item.type}`}
            />
            <span>
              <span className="mono">{item.type}</span>
              <span className="muted small block">{item.description}</span>
            </span>
          </label>
        ))}
      </div>
      {error ? (
        <div className="field-error" data-testid="field-error-events">
          {error}
        </div>
      ) : null}
    </fieldset>
  );
}
