import { Logger } from '@nestjs/common';
import { splitOutcome, type OutcomeBatch, type OutcomeFact } from '@codeplanet/event-schemas';
import type { JsMsg } from '@codeplanet/jetstream';
import { preparedQuery } from '@codeplanet/service-kit';
import type { EntityManager } from 'typeorm';
import { emptyFold, foldOutcome, idsOf, type FoldState } from './outcomes-fold.js';
import { DroppedDeliveries } from './dropped-deliveries.js';
import {
  LOAD_SQL,
  acceptedColumns,
  acceptedPart,
  deletePart,
  finalRecords,
  finishedPart,
  healthPart,
  healthRecord,
  upsertPart,
  writeStatement,
  toDelivery,
  toHealth,
  type LoadedRecords,
} from './outcomes.sql.js';
import { parseJson, type Projection } from './stream-follower.js';

/**
 * OUTCOMES → `deliveries` (pending and failed ones: status, attempts, next attempt, where the body is),
 * `endpoint_health` (failure streaks) and the progress of job items. Two statements per batch: one reads the
 * rows the batch touches, one writes what changed.
 */
export class OutcomesProjection implements Projection {
  readonly name = 'outcomes';
  private readonly logger = new Logger('Projection outcomes');
  private readonly dropped = new DroppedDeliveries();

  constructor(
    readonly stream: string,
    readonly lingerMs = 0,
  ) {}

  async apply(manager: EntityManager, batch: JsMsg[]): Promise<void> {
    const facts: { fact: OutcomeFact; seq: number }[] = [];
    for (const msg of batch) {
      const message = parseJson<OutcomeFact | OutcomeBatch>(msg);
      if (message && typeof message.type === 'string') {
        for (const fact of splitOutcome(message)) facts.push({ fact, seq: msg.seq });
      } else this.logger.warn(`skipping malformed outcome at seq ${msg.seq}`);
    }
    const loaded = await this.load(
      manager,
      facts.map((f) => f.fact),
    );
    for (const { fact, seq } of facts) {
      try {
        foldOutcome(loaded.state, fact, seq);
      } catch (error) {
        this.logger.warn(`skipping outcome at seq ${seq}: ${String(error)}`);
      }
    }
    await this.write(manager, loaded);
  }

  /**
   * Reads the rows of the deliveries that attempt and final facts name. Deliveries named only by `event.accepted`
   * are new in all but rare cases, so they are not read: their insert handles an existing row (`acceptedPart`).
   */
  private async load(manager: EntityManager, facts: OutcomeFact[]): Promise<Loaded> {
    const readIds = new Set<string>();
    const acceptedIds = new Set<string>();
    const endpointIds = new Set<string>();
    for (const fact of facts) {
      const ids = idsOf(fact);
      const into = fact.type === 'event.accepted' ? acceptedIds : readIds;
      ids.deliveries.forEach((id) => into.add(id));
      ids.endpoints.forEach((id) => endpointIds.add(id));
    }
    const loaded: Loaded = {
      state: emptyFold((id) => this.dropped.has(id)),
      unread: new Set([...acceptedIds].filter((id) => !readIds.has(id))),
      stored: new Set(),
      openItems: new Set(),
    };
    if (readIds.size === 0 && endpointIds.size === 0) return loaded;
    const [records] = await preparedQuery<LoadedRecords>(manager, 'scheduler_outcomes_load', LOAD_SQL, [
      [...readIds],
      [...endpointIds],
    ]);
    for (const r of records?.deliveries ?? []) {
      const row = toDelivery(r);
      loaded.state.deliveries.set(row.id, row);
      loaded.stored.add(row.id);
    }
    for (const r of records?.health ?? []) loaded.state.health.set(r.endpoint_id, toHealth(r));
    for (const id of records?.open_items ?? []) loaded.openItems.add(id);
    return loaded;
  }

  private async write(manager: EntityManager, { state, unread, stored, openItems }: Loaded): Promise<void> {
    const accepted = [];
    const upserts = [];
    const deletes = [];
    for (const id of state.changedDeliveries) {
      const row = state.deliveries.get(id);
      if (!row) continue;
      if (unread.has(id)) accepted.push(row);
      else if (!state.droppedDeliveries.has(id)) upserts.push(row);
      else if (stored.has(id)) deletes.push(id);
    }
    const health = [...state.changedHealth].map((id) => state.health.get(id)).filter((r) => r !== undefined);
    // Job progress: only deliveries with an open job item (queued, not finished) are sent.
    const finals = finalRecords(state.finals.filter((f) => openItems.has(f.deliveryId)));
    const parts = [
      accepted.length > 0 ? acceptedPart(acceptedColumns(accepted)) : null,
      upserts.length > 0 ? upsertPart(upserts) : null,
      deletes.length > 0 ? deletePart(deletes) : null,
      health.length > 0 ? healthPart(health.map(healthRecord)) : null,
      finals.length > 0 ? finishedPart(finals) : null,
    ].filter((part) => part !== null);
    if (parts.length > 0) {
      const statement = writeStatement(parts);
      await preparedQuery(manager, statement.name, statement.text, statement.values);
    }
    for (const id of state.droppedDeliveries) this.dropped.add(id);
    for (const row of upserts) this.dropped.forget(row.id);
  }
}

/** What a batch starts from: the rows read, and which deliveries were not read (only named by event.accepted). */
interface Loaded {
  state: FoldState;
  /** Deliveries only `event.accepted` named: their rows, if any, were not read. */
  unread: Set<string>;
  /** Deliveries whose row was read (so a dropped one must be deleted). */
  stored: Set<string>;
  /** Deliveries with an open job item. */
  openItems: Set<string>;
}
