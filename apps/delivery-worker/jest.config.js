import { jestConfig } from '@codeplanet/jest-config';

// Integration suites start worker processes and push thousands of messages through the shared NATS server:
// running them one after another keeps them from skewing each other's latency measurements.
export default { ...jestConfig({ testTimeout: 90_000 }), maxWorkers: 1 };
