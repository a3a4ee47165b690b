import { lookup } from 'node:dns/promises';
import type { HostResolver } from './url-policy.js';

const LOOKUP_TIMEOUT_MS = 5_000;

/** The system resolver (what the worker's HTTP client uses too), every address, bounded in time. */
export class DnsHostResolver implements HostResolver {
  async resolve(hostname: string): Promise<string[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`DNS lookup of ${hostname} timed out`)), LOOKUP_TIMEOUT_MS);
    });
    try {
      const found = await Promise.race([lookup(hostname, { all: true, verbatim: true }), timeout]);
      return found.map((entry) => entry.address);
    } finally {
      clearTimeout(timer);
    }
  }
}
