import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses an event endpoint may not use unless EVENT_ENDPOINTS_ALLOW_PRIVATE
 * is true: private, loopback, link-local, shared (CGNAT), unspecified,
 * multicast, reserved and documentation ranges. The service must not be a
 * way into the network it runs in (its database, a cloud's metadata service
 * at 169.254.169.254).
 */
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** An IPv4 address written as IPv6 (`::ffff:127.0.0.1`, `::ffff:7f00:1`), as IPv4; null for any other. */
function embeddedIpv4(address: string): string | null {
  const match = /^::ffff:(?:0:)?(.+)$/i.exec(address);
  if (!match) return null;
  if (isIP(match[1]) === 4) return match[1];
  const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(match[1]);
  if (!hex) return null;
  const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** Whether a delivery may go to this IP address when private addresses are not allowed. */
export function isPublicAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 0) return false;
  if (version === 6) {
    const ipv4 = embeddedIpv4(address);
    if (ipv4 !== null) return isPublicAddress(ipv4);
  }
  return !NOT_PUBLIC.check(address, version === 4 ? 'ipv4' : 'ipv6');
}

/** The host of a URL as an IP address (without IPv6's brackets), or null when it is a name. */
export function ipLiteralOf(url: URL): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) === 0 ? null : host;
}

/** Names that always mean this machine, whatever DNS says. */
const isLocalName = (hostname: string) => hostname === 'localhost' || hostname.endsWith('.localhost');

/**
 * What is wrong with an endpoint URL, or null: it must be https (or plain
 * http when private addresses are allowed), carry no credentials (they
 * would show wherever the URL does), and, unless allowed, not name a
 * private address or this machine. Names are checked against DNS at each
 * delivery (`checkedLookup`).
 */
export function endpointUrlProblem(text: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute URL';
  }
  const schemes = allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) {
    return allowPrivate ? 'must be an http(s) URL' : 'must be an https URL';
  }
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password';
  if (allowPrivate) return null;
  const ip = ipLiteralOf(url);
  if ((ip !== null && !isPublicAddress(ip)) || isLocalName(url.hostname.toLowerCase())) {
    return 'must not be a private, loopback or link-local address (EVENT_ENDPOINTS_ALLOW_PRIVATE)';
  }
  return null;
}

/**
 * The addresses a host name resolves to that a delivery may not use; empty
 * when it resolves only to public ones, or does not resolve at all (it may
 * be set up later: every delivery checks again).
 */
export async function privateAddressesOf(hostname: string): Promise<string[]> {
  try {
    const addresses = await lookup(hostname, { all: true, verbatim: true });
    return addresses.map((a) => a.address).filter((address) => !isPublicAddress(address));
  } catch {
    return [];
  }
}
