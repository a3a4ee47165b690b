import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/errors.js';
import type { NewEndpoint } from '../api/webhooks.js';
import { ErrorBox, Loading } from '../components/ErrorBox.js';
import { EventPicker } from '../components/EventPicker.js';
import { href, navigate } from '../lib/router.js';
import { useSession } from '../lib/session.js';
import { useAsync } from '../lib/use-async.js';

function FieldError({ error, field }: { error: unknown; field: string }) {
  const message = error instanceof ApiError ? error.forField(field) : undefined;
  if (!message) return null;
  return (
    <div className="field-error" data-testid={`field-error-${field}`}>
      {message}
    </div>
  );
}

export function NewEndpointPage() {
  const { api } = useSession();
  const catalog = useAsync(() => api.eventTypes(), [api]);
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const input: NewEndpoint = { url: url.trim(), events };
    if (description.trim()) input.description = description.trim();
    setBusy(true);
    setError(undefined);
    api.createEndpoint(input).then(
      (created) => navigate(href.endpoint(created.id)),
      (err: unknown) => {
        setBusy(false);
        setError(err);
      },
    );
  };

  const fieldError = (field: string) => (error instanceof ApiError ? error.forField(field) : undefined);
  const unknownFields =
    error instanceof ApiError &&
    error.details.some((d) => !['url', 'events', 'description'].some((f) => d.field.startsWith(f)));

  return (
    <section className="narrow">
      <p>
        <a href={href.endpoints()} className="small">
          ← Endpoints
        </a>
      </p>
      <h2>Add endpoint</h2>
      <form className="card form" onSubmit={onSubmit} data-testid="endpoint-form">
        <label htmlFor="url">Endpoint URL</label>
        <input
          id="url"
          type="text"
          inputMode="url"
          placeholder="https://example.com/webhooks/codeplanet"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          className={fieldError('url') ? 'invalid' : undefined}
          data-testid="endpoint-url"
        />
        <FieldError error={error} field="url" />
        <p className="hint">Must answer 2xx within 30 s. HTTPS is required in production.</p>

        <label htmlFor="description">Description (optional)</label>
        <input
          id="description"
          type="text"
          placeholder="Billing service"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          data-testid="endpoint-description"
        />
        <FieldError error={error} field="description" />

        {catalog.data ? (
          <EventPicker
            catalog={catalog.data}
            value={events}
            onChange={setEvents}
            error={fieldError('events')}
          />
        ) : catalog.error ? (
          <ErrorBox error={catalog.error} testId="catalog-error" />
        ) : (
          <Loading what="Loading event types" />
        )}

        {error && (!(error instanceof ApiError) || error.details.length === 0 || unknownFields) ? (
          <ErrorBox error={error} testId="form-error" />
        ) : null}
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="create-endpoint">
            {busy ? 'Creating…' : 'Create endpoint'}
          </button>
          <a href={href.endpoints()} className="btn btn-ghost">
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}
