import { AccountEntity } from './account.entity.js';
import { ApiKeyEntity } from './api-key.entity.js';
import { EndpointEntity } from './endpoint.entity.js';
import { IdempotencyKeyEntity } from './idempotency-key.entity.js';

export { AccountEntity, ApiKeyEntity, EndpointEntity, IdempotencyKeyEntity };

export const ENTITIES = [AccountEntity, ApiKeyEntity, EndpointEntity, IdempotencyKeyEntity];
