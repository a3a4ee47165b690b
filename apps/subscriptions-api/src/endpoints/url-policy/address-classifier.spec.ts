import { describe, expect, it } from '@jest/globals';
import { classifyAddress, isPublicAddress, type AddressClass } from './address-classifier.js';

const cases: [string, AddressClass][] = [
  // public IPv4
  ['8.8.8.8', 'public'],
  ['1.1.1.1', 'public'],
  ['34.120.1.2', 'public'],
  ['100.63.255.255', 'public'], // just below CGNAT
  ['100.128.0.0', 'public'], // just above CGNAT
  ['172.15.255.255', 'public'],
  ['172.32.0.0', 'public'],
  ['192.169.0.1', 'public'],
  ['169.253.255.255', 'public'],
  ['223.255.255.255', 'public'],
  ['11.0.0.0', 'public'],
  // unspecified / "this network"
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  // loopback
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  // RFC 1918
  ['10.0.0.1', 'private'],
  ['10.255.255.255', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  // CGNAT
  ['100.64.0.1', 'cgnat'],
  ['100.127.255.255', 'cgnat'],
  // link-local and metadata
  ['169.254.0.1', 'link_local'],
  ['169.254.169.253', 'link_local'],
  ['169.254.169.254', 'metadata'],
  ['100.100.100.200', 'metadata'],
  // special purpose
  ['192.0.0.8', 'reserved'],
  ['192.0.2.10', 'reserved'],
  ['192.88.99.1', 'reserved'],
  ['198.18.0.1', 'reserved'],
  ['198.19.255.255', 'reserved'],
  ['198.51.100.7', 'reserved'],
  ['203.0.113.9', 'reserved'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.255', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'reserved'],
  // public IPv6
  ['2606:4700:4700::1111', 'public'],
  ['2001:4860:4860::8888', 'public'],
  ['[2a00:1450:4001:80b::200e]', 'public'],
  ['2001:db9::1', 'public'],
  // IPv6 special
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['[::1]', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['::ffff:127.0.0.1', 'ipv4_mapped'],
  ['::ffff:8.8.8.8', 'ipv4_mapped'],
  ['::ffff:7f00:1', 'ipv4_mapped'],
  ['[::ffff:a9fe:a9fe]', 'ipv4_mapped'],
  ['::ffff:0:10.0.0.1', 'ipv4_mapped'],
  ['::127.0.0.1', 'reserved'],
  ['fc00::1', 'unique_local'],
  ['fd12:3456:789a::1', 'unique_local'],
  ['fd00:ec2::254', 'metadata'],
  ['fe80::1', 'link_local'],
  ['fe80::1%eth0', 'link_local'],
  ['febf:ffff::1', 'link_local'],
  ['fec0::1', 'private'],
  ['ff02::1', 'multicast'],
  ['2001:db8::1', 'reserved'],
  ['2001:0:4136:e378::1', 'reserved'], // Teredo
  ['100::1', 'reserved'],
  ['64:ff9b:1::1', 'reserved'],
  ['4000::1', 'reserved'], // outside 2000::/3
  ['1::1', 'reserved'],
  // NAT64 and 6to4 follow the IPv4 address they carry
  ['64:ff9b::8.8.8.8', 'public'],
  ['64:ff9b::10.0.0.1', 'private'],
  ['64:ff9b::a9fe:a9fe', 'metadata'],
  ['2002:0808:0808::1', 'public'],
  ['2002:7f00:0001::1', 'loopback'],
  ['2002:c0a8:0101::1', 'private'],
  // not addresses
  ['', 'invalid'],
  ['localhost', 'invalid'],
  ['example.com', 'invalid'],
  ['256.1.1.1', 'invalid'],
  ['1.2.3', 'invalid'],
  ['::g', 'invalid'],
  ['1:2:3:4:5:6:7:8:9', 'invalid'],
];

describe('classifyAddress', () => {
  it.each(cases)('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it('only public addresses pass isPublicAddress', () => {
    for (const [address, expected] of cases) {
      expect(isPublicAddress(address)).toBe(expected === 'public');
    }
  });

  it('ignores surrounding whitespace and letter case', () => {
    expect(classifyAddress(' FE80::1 ')).toBe('link_local');
    expect(classifyAddress('FD00:EC2::254')).toBe('metadata');
  });
});
