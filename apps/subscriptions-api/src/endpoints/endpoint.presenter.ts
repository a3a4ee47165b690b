import type { EndpointState } from '@codeplanet/event-schemas';
import type { EndpointDto } from './dto/endpoint.dto.js';

/** The public view of an endpoint: everything but the (encrypted) secrets. */
export function presentEndpoint(state: EndpointState): EndpointDto {
  return {
    id: state.id,
    account_id: state.account_id,
    url: state.url,
    events: state.events,
    description: state.description,
    enabled: state.enabled,
    disabled_reason: state.disabled_reason,
    created_at: state.created_at,
    updated_at: state.updated_at,
    version: state.version,
  };
}
