// A clerk for the bench's newer parts: GraphQL over HTTP with a token on a kept-alive connection of its own, and
// the attendance a clerk records during a meeting: a seat's status changed and changed back, then the next seat's,
// so that every write changes something.
import http from 'node:http';

export const RECORD_ATTENDANCE =
  'mutation RecordAttendance($i: RecordAttendanceInput!) { recordAttendance(input: $i) { id status } }';

/**
 * post(query, variables) → the parsed answer ({ data, errors }); one connection, kept alive, one request at a time.
 * With keepAlive false, a connection of its own for each request instead: a kept-alive one can be closed by the server
 * (its keep-alive timeout) just as the next request goes out on it after a pause, and a change cannot simply be sent
 * again (bench:live paces its changes).
 */
export function graphqlClient(url, token, { keepAlive = true } = {}) {
  const agent = keepAlive ? new http.Agent({ keepAlive: true, maxSockets: 1 }) : false;
  const post = (query, variables) =>
    new Promise((resolve, reject) => {
      const payload = JSON.stringify({ query, variables });
      const request = http.request(url, {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        timeout: 120_000,
      });
      request.on('timeout', () => request.destroy(new Error('no answer within 120 s')));
      request.on('error', reject);
      request.on('response', (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('error', reject);
        response.on('end', () => {
          try {
            resolve(JSON.parse(text));
          } catch {
            reject(new Error(`HTTP ${response.statusCode}: ${text.slice(0, 200)}`));
          }
        });
      });
      request.end(payload);
    });
  return { post, close: () => agent && agent.destroy() };
}

/** The same, throwing on a GraphQL error; resolves with the data. */
export function graphqlOrThrow(url, token, options) {
  const client = graphqlClient(url, token, options);
  return async (query, variables) => {
    const answer = await client.post(query, variables);
    if (answer.errors) throw new Error(`${answer.errors[0]?.extensions?.code}: ${answer.errors[0]?.message}`);
    return answer.data;
  };
}

/**
 * The variables of a session's next attendance write, for recordAttendance: seat 1 `first` then the other of
 * PRESENT/ABSENT, then seat 2 the same, and so on round the seats.
 */
export function attendanceWrites({ sessionId, seats }, first = 'PRESENT') {
  const other = first === 'PRESENT' ? 'ABSENT' : 'PRESENT';
  let i = 0;
  return () => {
    const seatId = seats[Math.floor(i / 2) % seats.length];
    const status = i % 2 === 0 ? first : other;
    i += 1;
    return { i: { sessionId, seatId, status } };
  };
}

/** The p-th quantile (0..1) of a list of numbers, sorted here. */
export function quantile(values, p) {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))];
}
