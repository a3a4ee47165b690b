import { classifyAddress, type AddressClass } from './address-classifier.js';

/** Turns a host name into the addresses a delivery would connect to. Injectable so tests control DNS. */
export interface HostResolver {
  resolve(hostname: string): Promise<string[]>;
}

export const HOST_RESOLVER = Symbol('HOST_RESOLVER');

export const MAX_URL_LENGTH = 2048;

export type UrlVerdict = { ok: true; url: string } | { ok: false; message: string };

const DESCRIPTIONS: Record<Exclude<AddressClass, 'public'>, string> = {
  invalid: 'an invalid address',
  unspecified: 'an unspecified address',
  loopback: 'a loopback address',
  private: 'a private network address',
  cgnat: 'a carrier-grade NAT (100.64.0.0/10) address',
  link_local: 'a link-local address',
  metadata: 'a cloud metadata address',
  unique_local: 'a unique local (fc00::/7) address',
  ipv4_mapped: 'an IPv4-mapped IPv6 address',
  multicast: 'a multicast address',
  reserved: 'a reserved or special-purpose address',
};

/**
 * CONTRACT §4 URL rules. Everywhere: an absolute http(s) URL with a host. In production only `https`, and every address the host resolves to must be public (the worker checks again at delivery time,
 * since DNS can change after this).
 */
export async function checkEndpointUrl(
  raw: string,
  options: { production: boolean; resolver: HostResolver },
): Promise<UrlVerdict> {
  if (raw.length > MAX_URL_LENGTH) return fail(`must be at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('must be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return fail('must use https (or http outside production)');
  if (!url.hostname) return fail('must name a host');
  if (!options.production) return { ok: true, url: url.toString() };

  if (url.protocol !== 'https:') return fail('must use https in production');
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (isLocalhostName(host)) return fail(`host ${host} is ${DESCRIPTIONS.loopback}`);
  const literal = classifyAddress(host);
  if (literal !== 'invalid') {
    return literal === 'public'
      ? { ok: true, url: url.toString() }
      : fail(`host ${host} is ${DESCRIPTIONS[literal]}`);
  }
  let addresses: string[];
  try {
    addresses = await options.resolver.resolve(host);
  } catch {
    return fail(`host ${host} does not resolve`);
  }
  if (addresses.length === 0) return fail(`host ${host} does not resolve`);
  for (const address of addresses) {
    const kind = classifyAddress(address);
    if (kind !== 'public') return fail(`host ${host} resolves to ${address}, ${DESCRIPTIONS[kind]}`);
  }
  return { ok: true, url: url.toString() };
}

/** RFC 6761: `localhost` and anything under it is loopback whatever a resolver says. */
function isLocalhostName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

function fail(message: string): UrlVerdict {
  return { ok: false, message };
}
