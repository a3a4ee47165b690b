import { metrics } from '@codeplanet/service-kit';

/** Prometheus metrics of the projections (label `stream` is the JetStream stream name). */
export const projectionMetrics = {
  lag: metrics.gauge('audit_projection_lag_messages', 'Stream last sequence minus the applied checkpoint', [
    'stream',
  ]),
  checkpoint: metrics.gauge('audit_projection_checkpoint_sequence', 'Last applied stream sequence', [
    'stream',
  ]),
  batchSize: metrics.histogram(
    'audit_projection_batch_size',
    'Messages per applied batch',
    ['stream'],
    [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
  ),
  applySeconds: metrics.histogram('audit_projection_apply_seconds', 'Time to apply and commit one batch', [
    'stream',
  ]),
  messages: metrics.counter('audit_projection_messages_total', 'Messages handled, by result', [
    'stream',
    'result',
  ]),
  failures: metrics.counter(
    'audit_projection_batch_failures_total',
    'Batch commits that failed and were retried',
    ['stream'],
  ),
};
