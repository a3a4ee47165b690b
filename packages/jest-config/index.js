// Jest over native ESM with swc: TypeScript 7 has no JS compiler API, so ts-jest cannot be used.
// Nest needs legacy decorators and design:* metadata, which swc emits with these flags.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const swcJest = require.resolve('@swc/jest');

/** @param {{ testMatch?: string[], testTimeout?: number }} [options] */
export function jestConfig(options = {}) {
  return {
    testEnvironment: 'node',
    extensionsToTreatAsEsm: ['.ts'],
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    transform: {
      '^.+\\.ts$': [
        swcJest,
        {
          jsc: {
            target: 'es2022',
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true },
            keepClassNames: true,
          },
          module: { type: 'es6' },
          sourceMaps: 'inline',
        },
      ],
    },
    testMatch: options.testMatch ?? ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.test.ts'],
    testTimeout: options.testTimeout ?? 30_000,
    maxWorkers: 2,
  };
}
