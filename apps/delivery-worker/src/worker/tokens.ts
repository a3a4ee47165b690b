/** Injection token of the validated WorkerSettings. */
export const WORKER_SETTINGS = Symbol.for('codeplanet.delivery-worker.settings');
