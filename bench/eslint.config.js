import { codeplanetConfig } from '@codeplanet/eslint-config';

export default codeplanetConfig(import.meta.dirname);
