export { parseDuration } from './duration.js';
export { parseSchedule } from './schedule.js';
export {
  RetryPolicy,
  DEFAULT_MAX_ACK_PENDING,
  DEFAULT_RETRY_SCHEDULE,
  type RetryPolicyOptions,
  type RetryConsumerConfig,
} from './retry-policy.js';
