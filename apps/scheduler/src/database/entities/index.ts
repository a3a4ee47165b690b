import {
  AdvisoryEntity,
  JobEntity,
  JobItemEntity,
  JobRunEntity,
  PurgeRequestEntity,
} from './job.entities.js';
import {
  ApiKeyEntity,
  CheckpointEntity,
  DeliveryEntity,
  EndpointAlertEntity,
  EndpointEntity,
  EndpointHealthEntity,
} from './projection.entities.js';

export * from './job.entities.js';
export * from './projection.entities.js';

export const ENTITIES = [
  CheckpointEntity,
  ApiKeyEntity,
  EndpointEntity,
  EndpointHealthEntity,
  EndpointAlertEntity,
  DeliveryEntity,
  JobEntity,
  JobItemEntity,
  JobRunEntity,
  AdvisoryEntity,
  PurgeRequestEntity,
];
