import { BlockList, isIP } from 'node:net';

/**
 * The SSRF guard of CONTRACT.md §4, applied at send time to the address actually connected to (so a DNS answer
 * that changed since the endpoint was created cannot reach the private network).
 */
const IPV4_BLOCKED: [string, number][] = [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments (incl. some metadata services)
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

const IPV6_BLOCKED: [string, number][] = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::ffff:0:0', 96], // IPv4-mapped: never needed for a public endpoint, and a way around the IPv4 list
  ['::', 96], // IPv4-compatible (deprecated)
  ['64:ff9b::', 96], // NAT64 can reach internal IPv4
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 32], // Teredo
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4 embeds an IPv4 address
  ['fc00::', 7], // unique local (incl. fd00:ec2::254 metadata)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];

// Two lists: node's BlockList matches IPv4 addresses against IPv6 rules through their mapped form, so one list
// holding ::ffff:0:0/96 would block every IPv4 address.
const ipv4List = new BlockList();
for (const [net, prefix] of IPV4_BLOCKED) ipv4List.addSubnet(net, prefix, 'ipv4');
const ipv6List = new BlockList();
for (const [net, prefix] of IPV6_BLOCKED) ipv6List.addSubnet(net, prefix, 'ipv6');

/** True when the literal IP address must not be connected to from production. Non-IPs are blocked. */
export function isBlockedAddress(address: string): boolean {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = isIP(bare);
  if (family === 4) return ipv4List.check(bare, 'ipv4');
  if (family === 6) return ipv6List.check(bare, 'ipv6');
  return true;
}

/** Raised when a destination is refused by the guard; the attempt records it as `blocked_address`. */
export class BlockedAddressError extends Error {
  readonly code = 'EBLOCKEDADDRESS';
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`refusing to connect to ${host} (${address}): private, loopback, link-local or reserved address`);
    this.name = 'BlockedAddressError';
  }
}
