/** Messages between the benchmark and its receiver process. */
export interface ReceiverStats {
  /** Distinct `<path>|<event id>` seen. */
  unique: number;
  /** Requests for a key already seen (retries after success, redeliveries). */
  duplicates: number;
  total: number;
  ok: number;
  fail: number;
  hang: number;
  /** Requests held open right now. */
  hanging: number;
}

export type ReceiverCommand =
  | { cmd: 'stats'; id: number }
  | { cmd: 'count'; id: number; prefixes: string[] }
  | { cmd: 'dump'; id: number; prefixes: string[] }
  | { cmd: 'reset'; id: number }
  | { cmd: 'stop'; id: number };

export type ReceiverReply =
  | { id: number; port: number }
  | { id: number; stats: ReceiverStats }
  | { id: number; count: number }
  | { id: number; arrivals: [string, number][] };
