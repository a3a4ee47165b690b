/** Ids kept per generation; two generations are kept, so the last 10k–20k drops are remembered. */
const GENERATION_SIZE = 10_000;

/**
 * The deliveries the OUTCOMES projection dropped lately (first-attempt successes, see `isUntried` in
 * outcomes-fold.ts). The worker publishes `attempt.succeeded` and `delivery.succeeded` in one message now, but an
 * older worker published them one after the other and a batch may end between them: remembering the drop lets the
 * second fact write nothing instead of a settled row. Only an optimisation: after a restart the memory is empty
 * and such a fact writes the settled row, as it always did.
 */
export class DroppedDeliveries {
  private current = new Set<string>();
  private previous = new Set<string>();

  has(id: string): boolean {
    return this.current.has(id) || this.previous.has(id);
  }

  add(id: string): void {
    if (this.current.size >= GENERATION_SIZE) {
      this.previous = this.current;
      this.current = new Set();
    }
    this.current.add(id);
  }

  /** The delivery has a row again (e.g. a racing worker's failure): its facts go by the row from now on. */
  forget(id: string): void {
    this.current.delete(id);
    this.previous.delete(id);
  }
}
