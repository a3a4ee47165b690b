import { codeplanetConfig } from '@codeplanet/eslint-config';

// scripts/ holds plain-JS measurement tools (run with node, outside the TS project), so type-aware lint skips them.
export default [{ ignores: ['scripts/**'] }, ...codeplanetConfig(import.meta.dirname)];
