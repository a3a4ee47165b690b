import { InitialSchema1733400000000 } from './1733400000000-initial-schema.js';
import { PurgeRequests1733500000000 } from './1733500000000-purge-requests.js';
import { DeliveriesSettledIndex1733600000000 } from './1733600000000-deliveries-settled-index.js';
import { JobItemsPublished1733700000000 } from './1733700000000-job-items-published.js';

/** In order; each runs once at boot (`migrationsRun`). */
export const MIGRATIONS = [
  InitialSchema1733400000000,
  PurgeRequests1733500000000,
  DeliveriesSettledIndex1733600000000,
  JobItemsPublished1733700000000,
];
