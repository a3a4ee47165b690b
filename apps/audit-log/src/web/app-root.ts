import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** apps/audit-log, from src/web or dist/web alike. */
export const APP_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `DASHBOARD_DIR` as an absolute path; relative values are relative to the app root. */
export function resolveFromAppRoot(path: string): string {
  return isAbsolute(path) ? path : resolve(APP_ROOT, path);
}
