import { InitialSchema1733400000000 } from './1733400000000-initial-schema.js';

/** In order; each runs once at boot (`migrationsRun`). */
export const MIGRATIONS = [InitialSchema1733400000000];
