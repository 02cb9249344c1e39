// The four read operations of the benchmark, each defined once here in its
// three forms: Obrady's GraphQL, the equivalent over PostGraphile 5's
// generated schema (same rows, same fields), and the floor's hand-written SQL.
// `ctx` carries the ids chosen from the seeded data: { termId, sessionId, personId }.
const globalId = (type, key) => Buffer.from(`${type}:${key}`).toString('base64url');

export const queries = {
  Q1: {
    title: 'all districts with their bodies',
    obrady: () => ({ query: '{ districts { number name bodies { name kind } } }' }),
    postgraphile: () => ({
      query:
        '{ allDistricts(orderBy: NUMBER_ASC) { nodes { number name bodiesByDistrictId(orderBy: PRIMARY_KEY_ASC) { nodes { name kind } } } } }',
    }),
    floor: () => ({
      text: `SELECT coalesce(json_agg(json_build_object('number', d.number, 'name', d.name, 'bodies',
               (SELECT coalesce(json_agg(json_build_object('name', b.name, 'kind', b.kind) ORDER BY b.id), '[]')
                FROM body b WHERE b.district_id = d.id)) ORDER BY d.number), '[]') AS data FROM district d`,
      values: [],
    }),
    count: (data, target) =>
      target === 'obrady'
        ? data.districts.length
        : target === 'postgraphile'
          ? data.allDistricts.nodes.length
          : data.length,
  },
  Q2: {
    title: 'a page of 20 sessions of term IX with body, district and agenda items',
    obrady: () => ({
      query:
        '{ sessions(filter: { termNumber: 9 }, first: 20) { nodes { id title scheduledAt body { name district { name } } agenda { position title } } } }',
    }),
    postgraphile: (ctx) => ({
      query: `{ allSessions(condition: { termId: ${ctx.termId} }, orderBy: [SCHEDULED_AT_DESC, PRIMARY_KEY_DESC], first: 20) { nodes { rowId title scheduledAt bodyByBodyId { name districtByDistrictId { name } } agendaItemsBySessionId(orderBy: POSITION_ASC) { nodes { position title } } } } }`,
    }),
    floor: (ctx) => ({
      text: `SELECT coalesce(json_agg(page ORDER BY page.scheduled_at DESC, page.id DESC), '[]') AS data FROM (
               SELECT s.id, s.title, s.scheduled_at,
                 json_build_object('name', b.name, 'district', CASE WHEN d.id IS NULL THEN NULL ELSE json_build_object('name', d.name) END) AS body,
                 (SELECT coalesce(json_agg(json_build_object('position', a.position, 'title', a.title) ORDER BY a.position), '[]')
                  FROM agenda_item a WHERE a.session_id = s.id) AS agenda
               FROM session s JOIN body b ON b.id = s.body_id LEFT JOIN district d ON d.id = b.district_id
               WHERE s.term_id = $1 ORDER BY s.scheduled_at DESC, s.id DESC LIMIT 20) page`,
      values: [ctx.termId],
    }),
    count: (data, target) =>
      target === 'obrady'
        ? data.sessions.nodes.length
        : target === 'postgraphile'
          ? data.allSessions.nodes.length
          : data.length,
  },
  Q3: {
    title: 'one session with its agenda and attendance with seat, person and district',
    obrady: (ctx) => ({
      query:
        'query($id: ID!) { session(id: $id) { title agenda { position title status } attendance { status seat { label } person { fullName } district { name } } } }',
      variables: { id: globalId('Session', ctx.sessionId) },
    }),
    postgraphile: (ctx) => ({
      query: `{ sessionByRowId(rowId: ${ctx.sessionId}) { title agendaItemsBySessionId(orderBy: POSITION_ASC) { nodes { position title status } } attendanceRecordsBySessionId(orderBy: PRIMARY_KEY_ASC) { nodes { status seatBySeatId { label } personByPersonId { fullName } districtByDistrictId { name } } } } }`,
    }),
    floor: (ctx) => ({
      text: `SELECT json_build_object('title', s.title,
               'agenda', (SELECT coalesce(json_agg(json_build_object('position', a.position, 'title', a.title, 'status', a.status) ORDER BY a.position), '[]') FROM agenda_item a WHERE a.session_id = s.id),
               'attendance', (SELECT coalesce(json_agg(json_build_object('status', r.status,
                   'seat', CASE WHEN st.id IS NULL THEN NULL ELSE json_build_object('label', st.label) END,
                   'person', CASE WHEN p.id IS NULL THEN NULL ELSE json_build_object('fullName', p.full_name) END,
                   'district', CASE WHEN d.id IS NULL THEN NULL ELSE json_build_object('name', d.name) END) ORDER BY r.id), '[]')
                 FROM attendance_record r LEFT JOIN seat st ON st.id = r.seat_id LEFT JOIN person p ON p.id = r.person_id
                 LEFT JOIN district d ON d.id = r.district_id WHERE r.session_id = s.id)) AS data
             FROM session s WHERE s.id = $1`,
      values: [ctx.sessionId],
    }),
    count: (data, target) =>
      target === 'obrady'
        ? data.session.attendance.length
        : target === 'postgraphile'
          ? data.sessionByRowId.attendanceRecordsBySessionId.nodes.length
          : data.attendance.length,
  },
  Q4: {
    title: 'a person with mandates, seats and bodies',
    obrady: (ctx) => ({
      query: 'query($id: ID!) { person(id: $id) { fullName mandates { title seat { label body { name } } } } }',
      variables: { id: globalId('Person', ctx.personId) },
    }),
    postgraphile: (ctx) => ({
      query: `{ personByRowId(rowId: ${ctx.personId}) { fullName mandatesByPersonId(orderBy: PRIMARY_KEY_ASC) { nodes { title seatBySeatId { label bodyByBodyId { name } } } } } }`,
    }),
    floor: (ctx) => ({
      text: `SELECT json_build_object('fullName', p.full_name, 'mandates',
               (SELECT coalesce(json_agg(json_build_object('title', m.title, 'seat', CASE WHEN s.id IS NULL THEN NULL ELSE
                  json_build_object('label', s.label, 'body', json_build_object('name', b.name)) END) ORDER BY m.id), '[]')
                FROM mandate m LEFT JOIN seat s ON s.id = m.seat_id LEFT JOIN body b ON b.id = s.body_id WHERE m.person_id = p.id)) AS data
             FROM person p WHERE p.id = $1`,
      values: [ctx.personId],
    }),
    count: (data, target) =>
      target === 'obrady'
        ? data.person.mandates.length
        : target === 'postgraphile'
          ? data.personByRowId.mandatesByPersonId.nodes.length
          : data.mandates.length,
  },
};
