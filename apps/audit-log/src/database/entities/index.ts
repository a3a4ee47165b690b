import { AttemptEntity, DeliveryEntity } from './delivery.entities.js';
import { AccountEntity, ApiKeyEntity, EndpointEntity, EventEntity } from './catalog.entities.js';
import {
  AuditTrailEntity,
  CheckpointEntity,
  PurgeRequestEntity,
  RejectedEventEntity,
} from './log.entities.js';

export * from './delivery.entities.js';
export * from './catalog.entities.js';
export * from './log.entities.js';

export const AUDIT_ENTITIES = [
  DeliveryEntity,
  AttemptEntity,
  EventEntity,
  EndpointEntity,
  AccountEntity,
  ApiKeyEntity,
  AuditTrailEntity,
  RejectedEventEntity,
  PurgeRequestEntity,
  CheckpointEntity,
];

/** Every projection table, for the rebuild (checkpoints included: they are part of the projection). */
export const PROJECTION_TABLES = [
  'deliveries',
  'attempts',
  'events',
  'endpoints',
  'accounts',
  'api_keys',
  'audit_trail',
  'rejected_events',
  // A rebuild replays AUDIT, so every retention purge is requested (and run) again: deleting nothing new.
  'purge_requests',
  'checkpoints',
] as const;
