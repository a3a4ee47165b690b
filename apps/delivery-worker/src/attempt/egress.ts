import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent } from 'undici';
import { BlockedAddressError, isBlockedAddress } from './address-guard.js';

export interface EgressOptions {
  /** Local addresses to send from, in turn (EGRESS_IPS). Empty: the OS picks. */
  egressIps: string[];
  /** Keep-alive connections per origin, per egress address (the per-endpoint cap is enforced separately). */
  connectionsPerOrigin: number;
  connectTimeoutMs: number;
  /** Production: resolve, refuse private/reserved answers, connect to the checked address. */
  guardAddresses: boolean;
}

/**
 * A DNS lookup that refuses the whole answer when any address in it is private or reserved, and hands the
 * socket only checked addresses, so the address tested is the one connected to (no DNS-rebinding window).
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) {
      callback(error, '', 0);
      return;
    }
    const blocked = addresses.find((entry) => isBlockedAddress(entry.address));
    if (blocked || addresses.length === 0) {
      callback(new BlockedAddressError(hostname, blocked?.address ?? 'no address'), '', 0);
      return;
    }
    if (options.all) {
      (callback as unknown as (err: null, all: LookupAddress[]) => void)(null, addresses);
      return;
    }
    const [first] = addresses as [LookupAddress];
    callback(null, first.address, first.family);
  });
};

/** One keep-alive Agent per egress address (bounded connections per origin); requests take them in turn. */
export class EgressPool {
  private readonly agents: Agent[];
  private next = 0;

  constructor(options: EgressOptions) {
    const locals: (string | undefined)[] = options.egressIps.length > 0 ? options.egressIps : [undefined];
    this.agents = locals.map(
      (localAddress) =>
        new Agent({
          connections: options.connectionsPerOrigin,
          pipelining: 1,
          keepAliveTimeout: 4_000,
          ...(localAddress ? { localAddress } : {}),
          connect: {
            timeout: options.connectTimeoutMs,
            ...(options.guardAddresses ? { lookup: guardedLookup } : {}),
          },
        }),
    );
  }

  pick(): Agent {
    const agent = this.agents[this.next % this.agents.length] as Agent;
    this.next = (this.next + 1) % this.agents.length;
    return agent;
  }

  async close(): Promise<void> {
    await Promise.all(this.agents.map((agent) => agent.close()));
  }
}
