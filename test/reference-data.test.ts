import {
  ConventionSessionsDocument,
  DistrictsDocument,
  SessionDetailDocument,
  TermsDocument,
} from './generated/graphql';
import { query, startTestServer } from './support';
import type { TestServer } from './support';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

describe('the reference data, as a journalist would check it', () => {
  it('lists the 18 districts by number, with numerals, names and council sizes', async () => {
    const { districts } = await query(server.url, DistrictsDocument);
    expect(districts).toHaveLength(18);
    expect(districts.map((d) => d.number)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    expect(districts[0]).toMatchObject({ numeral: 'I', name: 'Stare Miasto', fullName: 'Dzielnica I Stare Miasto' });
    expect(districts[17]).toMatchObject({ numeral: 'XVIII', name: 'Nowa Huta', slug: 'nowa-huta' });
    expect(districts.find((d) => d.number === 9)).toMatchObject({ name: 'Łagiewniki-Borek Fałęcki', councilSeats: 15 });
    expect(districts.filter((d) => d.councilSeats === 15).map((d) => d.numeral)).toEqual(['IX', 'XVII']);
    for (const district of districts) {
      expect(district.bodies.map((b) => b.kind).sort()).toEqual(['DISTRICT_BOARD', 'DISTRICT_COUNCIL']);
      expect(district.bodies.find((b) => b.kind === 'DISTRICT_COUNCIL')!.name).toBe(
        `Rada Dzielnicy ${district.numeral} ${district.name}`,
      );
    }
  });

  it('knows terms VIII and IX by their election days, and nothing it was not told', async () => {
    const { terms } = await query(server.url, TermsDocument);
    expect(terms).toEqual([
      expect.objectContaining({ number: 8, numeral: 'VIII', electionDate: '2018-12-02', startsOn: null, endsOn: null }),
      expect.objectContaining({ number: 9, numeral: 'IX', electionDate: '2023-12-10', startsOn: null, endsOn: null }),
    ]);
  });

  it('seats the Convention: its chair, and the council and board chair of each district', async () => {
    const { bodies } = await query(server.url, ConventionSessionsDocument);
    expect(bodies).toHaveLength(1);
    const convention = bodies[0]!;
    expect(convention.name).toBe('Konwent Przewodniczących Rad i Zarządów Dzielnic');
    expect(convention.seats).toHaveLength(37);
    expect(convention.seats[0]).toMatchObject({
      label: 'Przewodniczący Konwentu',
      role: 'CHAIR',
      countsTowardQuorum: false,
      holder: { fullName: 'Artur Buszek' },
    });
    const members = convention.seats.slice(1);
    expect(members.every((seat) => seat.countsTowardQuorum && seat.holder === null)).toBe(true);
    expect(members.map((seat) => seat.label)).toContain('Przewodniczący Rady Dzielnicy XII Bieżanów-Prokocim');
    expect(members.map((seat) => seat.label)).toContain('Przewodniczący Zarządu Dzielnicy XII Bieżanów-Prokocim');
    // "At least half of its members present (18 of the 36 member seats)".
    expect(convention.quorumRequired).toBe(18);
    expect(convention.sessions.totalCount).toBe(1);
  });

  it('tells when and where the Convention of term IX first met, who chaired it and what was on the agenda', async () => {
    const { bodies } = await query(server.url, ConventionSessionsDocument);
    const { session } = await query(server.url, SessionDetailDocument, { id: bodies[0]!.sessions.nodes[0]!.id });
    expect(session).toMatchObject({
      number: 1,
      kind: 'INAUGURAL',
      status: 'SCHEDULED',
      title: 'Inauguracyjne posiedzenie Konwentu Przewodniczących Rad i Zarządów Dzielnic IX kadencji',
      scheduledAt: '2024-01-24T18:00:00+01:00',
      startedAt: null,
      endedAt: null,
      venue: {
        name: 'Sala Obrad Rady Miasta Krakowa im. Stanisława Wyspiańskiego',
        address: 'Plac Wszystkich Świętych 3-4, Kraków',
      },
      body: { kind: 'CONVENTION' },
      term: { number: 9, numeral: 'IX' },
      lastSequence: 0,
      events: [],
      currentAgendaItem: null,
    });
    expect(session!.chair).toMatchObject({ fullName: 'Artur Buszek', email: null, phone: null });
    expect(session!.chair!.mandates.map((m) => m.title)).toEqual([
      'Wiceprzewodniczący Rady Miasta Krakowa',
      'Przewodniczący Konwentu',
    ]);
    expect(session!.chair!.mandates[1]).toMatchObject({
      term: { numeral: 'IX' },
      seat: { label: 'Przewodniczący Konwentu' },
    });
    expect(session!.agenda.map((item) => [item.position, item.title, item.status])).toEqual([
      [1, 'Sprawy organizacyjne związane z funkcjonowaniem Dzielnic', 'PENDING'],
      [2, 'Przetwarzanie danych osobowych w Dzielnicach', 'PENDING'],
      [3, 'Wsparcie Rad i Zarządów Dzielnic w obsłudze informatycznej', 'PENDING'],
    ]);
  });

  it('records 36 seats confirmed, one per district chair, with nobody named who was not', async () => {
    const { bodies } = await query(server.url, ConventionSessionsDocument);
    const { session } = await query(server.url, SessionDetailDocument, { id: bodies[0]!.sessions.nodes[0]!.id });
    const attendance = session!.attendance;
    expect(attendance).toHaveLength(36);
    expect(attendance.every((r) => r.status === 'CONFIRMED' && r.person === null && r.countsTowardQuorum)).toBe(true);
    const byDistrict = new Map<number, number>();
    for (const record of attendance)
      byDistrict.set(record.district!.number, (byDistrict.get(record.district!.number) ?? 0) + 1);
    expect([...byDistrict.values()]).toEqual(Array(18).fill(2));
    expect(new Set(attendance.map((r) => r.seat!.label)).size).toBe(36);
    // Confirmed is not present: who actually came is not in the source.
    expect(session!.quorum).toEqual({ seats: 36, present: 0, required: 18, reached: false });
  });
});
