import { ApiClient, queryString } from './client.js';
import type { Delivery, DeliveryDetail, DeliveryFilters, Endpoint, EventTypeInfo, Page } from './types.js';

const enc = encodeURIComponent;

export interface NewEndpoint {
  url: string;
  events: string[];
  description?: string;
}

/** Every route the dashboard calls, in one place: the list of what it needs from the two APIs. */
export class WebhooksApi {
  constructor(readonly client: ApiClient) {}

  listEndpoints(cursor?: string): Promise<Page<Endpoint>> {
    return this.client.get(`/v1/endpoints${queryString({ limit: 100, cursor })}`);
  }

  getEndpoint(id: string): Promise<Endpoint> {
    return this.client.get(`/v1/endpoints/${enc(id)}`);
  }

  createEndpoint(input: NewEndpoint): Promise<Endpoint> {
    return this.client.post('/v1/endpoints', input);
  }

  setEnabled(id: string, enabled: boolean): Promise<Endpoint> {
    return this.client.patch(`/v1/endpoints/${enc(id)}`, { enabled });
  }

  deleteEndpoint(id: string): Promise<void> {
    return this.client.delete(`/v1/endpoints/${enc(id)}`);
  }

  getSecret(id: string): Promise<{ secret: string }> {
    return this.client.get(`/v1/endpoints/${enc(id)}/secret`);
  }

  rotateSecret(id: string): Promise<{ secret: string }> {
    return this.client.post(`/v1/endpoints/${enc(id)}/secret/rotate`);
  }

  sendTest(id: string, type: string): Promise<{ event_id: string }> {
    return this.client.post(`/v1/endpoints/${enc(id)}/test`, { type });
  }

  stats(id: string): Promise<unknown> {
    return this.client.get(`/v1/endpoints/${enc(id)}/stats`);
  }

  async eventTypes(): Promise<EventTypeInfo[]> {
    const body = await this.client.get<EventTypeInfo[] | { data: EventTypeInfo[] }>('/v1/event-types');
    return Array.isArray(body) ? body : body.data;
  }

  /** The egress IPs deliveries come from (for receivers' allowlists); empty when not configured. */
  async webhookIps(): Promise<string[]> {
    const body = await this.client.get<{ data?: unknown } | unknown[]>('/v1/webhook-ips');
    const list = Array.isArray(body) ? body : body.data;
    return Array.isArray(list) ? list.filter((ip): ip is string => typeof ip === 'string') : [];
  }

  listDeliveries(filters: DeliveryFilters, limit: number, cursor?: string): Promise<Page<Delivery>> {
    return this.client.get(`/v1/deliveries${queryString({ ...filters, limit, cursor })}`);
  }

  getDelivery(id: string): Promise<DeliveryDetail> {
    return this.client.get(`/v1/deliveries/${enc(id)}`);
  }

  retryDelivery(id: string): Promise<unknown> {
    return this.client.post(`/v1/deliveries/${enc(id)}/retry`);
  }

  getEvent(id: string): Promise<unknown> {
    return this.client.get(`/v1/events/${enc(id)}`);
  }

  /** The live tail's path (read by `useLiveTail`, which adds the token). */
  streamPath(filters: { endpoint_id?: string }): string {
    return `/v1/stream${queryString(filters)}`;
  }
}
