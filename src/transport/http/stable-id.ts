import { createHash } from 'node:crypto';

/** The namespace of Obrady's name-based UUIDs (itself a version 4 UUID, chosen once and never to change). */
const OBRADY_NAMESPACE = '0c8a4f4e-6f0e-4f7c-9a57-3e1c9b0d5a21';

/**
 * A name-based UUID, version 5 (RFC 9562 §5.5): SHA-1 of the namespace's bytes and the name, with the
 * version and variant bits set. Atom requires an entry's id to be an IRI that never changes; one made from
 * the session's key stays the same whatever host or URL the feed is read under.
 */
export function stableUuid(name: string, namespace = OBRADY_NAMESPACE): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
