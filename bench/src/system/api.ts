/** Just enough of the subscriptions-api to set a benchmark up: accounts, keys, endpoints, test events. */
import { callJson } from '@codeplanet/e2e';

export interface Endpoint {
  id: string;
  accountId: string;
  url: string;
  secret: string;
}

export class SubscriptionsClient {
  constructor(
    private readonly base: string,
    private readonly adminToken: string,
  ) {}

  /** A fresh account and one API key for it. */
  async account(name: string): Promise<{ id: string; key: string }> {
    const account = await callJson<{ id: string }>(this.base, this.adminToken, 'POST', '/v1/admin/accounts', {
      name,
    });
    const key = await callJson<{ key: string }>(
      this.base,
      this.adminToken,
      'POST',
      `/v1/admin/accounts/${account.id}/api-keys`,
    );
    return { id: account.id, key: key.key };
  }

  async endpoint(
    account: { id: string; key: string },
    url: string,
    events: string[] = ['*'],
  ): Promise<Endpoint> {
    const created = await callJson<{ id: string; secret: string }>(
      this.base,
      account.key,
      'POST',
      '/v1/endpoints',
      {
        url,
        events,
        description: 'benchmark',
      },
    );
    return { id: created.id, accountId: account.id, url, secret: created.secret };
  }

  async disable(account: { key: string }, endpointId: string): Promise<void> {
    await callJson(this.base, account.key, 'PATCH', `/v1/endpoints/${endpointId}`, { enabled: false });
  }

  /** Sends the catalogue's sample event to this endpoint only; returns its event id. */
  async testEvent(account: { key: string }, endpointId: string): Promise<string> {
    const sent = await callJson<{ event_id: string }>(
      this.base,
      account.key,
      'POST',
      `/v1/endpoints/${endpointId}/test`,
      {
        type: 'payment.completed',
      },
    );
    return sent.event_id;
  }
}
