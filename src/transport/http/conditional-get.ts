/**
 * Whether a request's If-None-Match names the current representation (RFC 9110 §13.1.2): its entity tags are
 * compared weakly (W/ ignored on both sides), and `*` matches any current representation. Then the answer is 304.
 */
export function ifNoneMatchHolds(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  const current = tag.replace(/^W\//, '');
  return header.split(',').some((candidate) => {
    const value = candidate.trim();
    return value === '*' || value.replace(/^W\//, '') === current;
  });
}
