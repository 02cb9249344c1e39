import net from 'node:net';
import ipaddr from 'ipaddr.js';

/** The longest endpoint URL stored (the column's width). */
export const MAX_ENDPOINT_URL = 2000;

/**
 * Whether a webhook may be sent to this address: only public unicast. Everything ipaddr.js classifies otherwise
 * (private, loopback, link-local, unique-local, carrier-grade NAT, multicast, reserved, documentation, 6to4 and
 * Teredo, which tunnel to an IPv4 address we cannot see) is refused: a webhook must not become a way to reach
 * our own network (SSRF). An IPv4-mapped IPv6 address is judged as the IPv4 address it is.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range() === 'unicast';
}

/** A URL's host as net.connect takes it: an IPv6 literal without its brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * What is wrong with an endpoint URL as registered, or null: absolute, HTTPS (plain HTTP only with
 * WEBHOOKS_ALLOW_PRIVATE), no user name or password (they would be sent, and shown in lists), at most
 * MAX_ENDPOINT_URL characters, and, for an IP literal, a public address. A host name is resolved again at
 * every attempt (its address may change), where the same rule is applied to what it resolves to.
 */
export function endpointUrlProblem(raw: string, allowPrivate: boolean): string | null {
  if (raw.length > MAX_ENDPOINT_URL) return `must be at most ${MAX_ENDPOINT_URL} characters long.`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not an absolute URL (expected https://host/path).';
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
    return `must be an https:// URL, got ${url.protocol}//.`;
  }
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password.';
  if (url.hash !== '') return 'must not have a #fragment (it is never sent).';
  const host = hostOf(url);
  if (!allowPrivate) {
    if (net.isIP(host) !== 0 && !isPublicAddress(host)) {
      return `must reach a public address; ${host} is private, loopback, link-local or reserved.`;
    }
    if (host === 'localhost' || host.endsWith('.localhost')) return 'must reach a public address, not localhost.';
  }
  return null;
}
