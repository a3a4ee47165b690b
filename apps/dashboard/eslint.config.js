import { codeplanetConfig } from '@codeplanet/eslint-config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default [
  ...codeplanetConfig(import.meta.dirname),
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
];
