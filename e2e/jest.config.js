import { jestConfig } from '@codeplanet/jest-config';

export default jestConfig();
