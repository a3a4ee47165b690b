import { jestConfig } from '@codeplanet/jest-config';

// Browser tests boot a whole stack and wait out a (compressed) retry ladder.
export default { ...jestConfig({ testTimeout: 120_000 }), maxWorkers: 1 };
