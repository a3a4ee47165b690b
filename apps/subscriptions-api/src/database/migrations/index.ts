import { InitialSchema1733320000000 } from './1733320000000-initial-schema.js';

/** In order; each runs once at boot (`migrationsRun`). */
export const MIGRATIONS = [InitialSchema1733320000000];
