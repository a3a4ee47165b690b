import { metrics } from '@codeplanet/service-kit';

/** This app's Prometheus series (process metrics come from service-kit). */
export const appMetrics = {
  endpointFacts: metrics.counter(
    'subscriptions_endpoint_facts_total',
    'Endpoint facts written to ENDPOINTS',
    ['type'],
  ),
  endpointConflicts: metrics.counter(
    'subscriptions_endpoint_conflicts_total',
    'Endpoint writes refused because another writer changed the endpoint first (409)',
  ),
  factsProjected: metrics.counter(
    'subscriptions_endpoint_facts_projected_total',
    'Endpoint facts the ENDPOINTS consumer applied to the projection (facts this process wrote are applied by the request)',
  ),
  eventsIngested: metrics.counter(
    'subscriptions_events_ingested_total',
    'Events accepted by POST /v1/events',
    ['replayed'],
  ),
};
