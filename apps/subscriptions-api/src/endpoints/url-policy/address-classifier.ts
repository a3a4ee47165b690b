import { isIPv4, isIPv6 } from 'node:net';

/**
 * Which kind of address an IP literal is, for the production rule "webhooks only go to the public internet".
 * Pure and synchronous: the URL policy resolves names first and classifies every address it gets back.
 */
export type AddressClass =
  | 'public'
  | 'invalid'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'cgnat'
  | 'link_local'
  | 'metadata'
  | 'unique_local'
  | 'ipv4_mapped'
  | 'multicast'
  | 'reserved';

interface Range {
  base: bigint;
  bits: number;
  kind: Exclude<AddressClass, 'public' | 'invalid'>;
}

// Checked in order, so the narrowest ranges (metadata inside link-local) come first.
const IPV4_RANGES: readonly (readonly [string, number, Range['kind']])[] = [
  ['169.254.169.254', 32, 'metadata'], // AWS, GCP, Azure, OpenStack instance metadata
  ['100.100.100.200', 32, 'metadata'], // Alibaba Cloud instance metadata
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link_local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'], // IETF protocol assignments
  ['192.0.2.0', 24, 'reserved'], // TEST-NET-1
  ['192.88.99.0', 24, 'reserved'], // 6to4 relay anycast
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'], // benchmarking
  ['198.51.100.0', 24, 'reserved'], // TEST-NET-2
  ['203.0.113.0', 24, 'reserved'], // TEST-NET-3
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'], // future use and broadcast
];

const IPV6_RANGES: readonly (readonly [string, number, Range['kind']])[] = [
  ['fd00:ec2::254', 128, 'metadata'], // AWS instance metadata over IPv6
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['::ffff:0:0', 96, 'ipv4_mapped'],
  ['::ffff:0:0:0', 96, 'ipv4_mapped'], // IPv4-translated (SIIT)
  ['::', 96, 'reserved'], // deprecated IPv4-compatible
  ['64:ff9b:1::', 48, 'reserved'], // local-use NAT64
  ['100::', 64, 'reserved'], // discard-only
  ['2001::', 32, 'reserved'], // Teredo tunnels hide the real IPv4 peer
  ['2001:db8::', 32, 'reserved'], // documentation
  ['fc00::', 7, 'unique_local'],
  ['fe80::', 10, 'link_local'],
  ['fec0::', 10, 'private'], // deprecated site-local
  ['ff00::', 8, 'multicast'],
];

const V4 = IPV4_RANGES.map(([address, bits, kind]) => ({ base: ipv4ToBigInt(address), bits, kind }));
const V6 = IPV6_RANGES.map(([address, bits, kind]) => ({ base: ipv6ToBigInt(address), bits, kind }));
const NAT64 = { base: ipv6ToBigInt('64:ff9b::'), bits: 96 };
const SIX_TO_FOUR = { base: ipv6ToBigInt('2002::'), bits: 16 };
const GLOBAL_UNICAST = { base: ipv6ToBigInt('2000::'), bits: 3 };

/** Classifies an IPv4 or IPv6 literal (brackets and a `%zone` suffix are accepted). */
export function classifyAddress(input: string): AddressClass {
  const address = stripBrackets(input.trim());
  if (isIPv4(address)) return classifyV4(ipv4ToBigInt(address));
  const withoutZone = address.split('%')[0] ?? '';
  if (isIPv6(withoutZone)) return classifyV6(ipv6ToBigInt(withoutZone));
  return 'invalid';
}

export function isPublicAddress(input: string): boolean {
  return classifyAddress(input) === 'public';
}

function classifyV4(value: bigint): AddressClass {
  return matchRange(V4, value, 32) ?? 'public';
}

function classifyV6(value: bigint): AddressClass {
  const listed = matchRange(V6, value, 128);
  if (listed) return listed;
  // NAT64 and 6to4 carry an IPv4 address inside: they are as public as that address.
  if (inRange(value, NAT64.base, NAT64.bits, 128)) return classifyV4(value & 0xffffffffn);
  if (inRange(value, SIX_TO_FOUR.base, SIX_TO_FOUR.bits, 128))
    return classifyV4((value >> 80n) & 0xffffffffn);
  // Everything outside 2000::/3 is unallocated or special-purpose.
  return inRange(value, GLOBAL_UNICAST.base, GLOBAL_UNICAST.bits, 128) ? 'public' : 'reserved';
}

function matchRange(ranges: readonly Range[], value: bigint, width: number): Range['kind'] | undefined {
  return ranges.find((range) => inRange(value, range.base, range.bits, width))?.kind;
}

function inRange(value: bigint, base: bigint, bits: number, width: number): boolean {
  const shift = BigInt(width - bits);
  return value >> shift === base >> shift;
}

function stripBrackets(address: string): string {
  return address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
}

function ipv4ToBigInt(address: string): bigint {
  return address.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

/** Expands `::`, and an embedded dotted IPv4 tail, into a 128-bit number. Input must pass `isIPv6`. */
function ipv6ToBigInt(address: string): bigint {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const v4 = ipv4ToBigInt(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}
