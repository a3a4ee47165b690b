/**
 * Which stream sequences a projection has applied. `lastSeq` is the highest one; `missing` lists the sequences
 * below it that are not applied yet (inclusive ranges, ascending, disjoint). In the normal case messages arrive in
 * order and `missing` stays empty, so this is the plain "last applied sequence" checkpoint.
 *
 * Why not only `lastSeq`: a durable consumer can hand out a newer message before an older one is applied (a
 * replica crashed with a batch in hand and the server redelivers it after ack_wait, or two replicas pull at once).
 * Skipping everything at or below `lastSeq` would then drop the older message for good. Remembering the holes keeps
 * the skip exact: a message is skipped only if it really was applied.
 */
export type SeqRange = [number, number];

export interface Checkpoint {
  lastSeq: number;
  missing: SeqRange[];
}

/** Beyond this many holes the oldest are forgotten (they can only come from deleted or aged-out messages). */
const MAX_MISSING_RANGES = 1_000;

export const EMPTY_CHECKPOINT: Checkpoint = { lastSeq: 0, missing: [] };

export function isApplied(checkpoint: Checkpoint, seq: number): boolean {
  if (seq > checkpoint.lastSeq) return false;
  return !checkpoint.missing.some(([from, to]) => seq >= from && seq <= to);
}

/** The checkpoint after applying `seqs` (any order, duplicates allowed). Pure. */
export function advance(checkpoint: Checkpoint, seqs: readonly number[]): Checkpoint {
  const sorted = [...new Set(seqs)].sort((a, b) => a - b);
  let missing = checkpoint.missing;
  let lastSeq = checkpoint.lastSeq;
  const holes: SeqRange[] = [];
  for (const seq of sorted) {
    if (seq <= checkpoint.lastSeq) {
      missing = removeSeq(missing, seq);
      continue;
    }
    if (seq > lastSeq + 1) holes.push([lastSeq + 1, seq - 1]);
    lastSeq = Math.max(lastSeq, seq);
  }
  const merged = mergeRanges([...missing, ...holes]);
  return { lastSeq, missing: merged.slice(Math.max(0, merged.length - MAX_MISSING_RANGES)) };
}

function removeSeq(ranges: SeqRange[], seq: number): SeqRange[] {
  const out: SeqRange[] = [];
  for (const [from, to] of ranges) {
    if (seq < from || seq > to) out.push([from, to]);
    else {
      if (from <= seq - 1) out.push([from, seq - 1]);
      if (seq + 1 <= to) out.push([seq + 1, to]);
    }
  }
  return out;
}

function mergeRanges(ranges: SeqRange[]): SeqRange[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: SeqRange[] = [];
  for (const [from, to] of sorted) {
    const last = out[out.length - 1];
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

/** Parses the stored `missing` column defensively (it is ours, but a bad row must not stop the projection). */
export function parseMissing(value: unknown): SeqRange[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (r): r is SeqRange =>
      Array.isArray(r) && r.length === 2 && Number.isInteger(r[0]) && Number.isInteger(r[1]),
  );
}
