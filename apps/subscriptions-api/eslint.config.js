import { codeplanetConfig } from '@codeplanet/eslint-config';

export default [
  ...codeplanetConfig(import.meta.dirname),
  {
    // Integration tests read JSON answers whose shape the assertions check: the shared relaxation of the
    // unsafe-* rules for tests, completed with calls and returns on those values.
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
];
