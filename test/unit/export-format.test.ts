import { ZonedDateTimeFormat } from '../../src/schema/scalars';
import { category, idOf, instant, popoloInstant, sourceOf } from '../../src/services/export-format.rules';
import { describeTable } from '../../src/services/csv-export.service';
import { ifNoneMatchHolds } from '../../src/transport/http/conditional-get';

const style = { publicUrl: 'https://obrady.example', dates: new ZonedDateTimeFormat('Europe/Warsaw') };

describe('the export files write', () => {
  it('instants as the API does, with the offset of the day in Warsaw', () => {
    expect(instant(style, new Date('2024-01-24T17:00:00Z'))).toBe('2024-01-24T18:00:00+01:00');
    expect(instant(style, new Date('2024-07-01T10:00:00.250Z'))).toBe('2024-07-01T12:00:00.250+02:00');
    expect(instant(style, null)).toBeNull();
  });

  it('instants for Popolo without a fraction of a second, which its date pattern does not allow', () => {
    const popoloDate =
      /^[0-9]{4}((-[0-9]{2}){0,2}|(-[0-9]{2}){2}T[0-9]{2}(:[0-9]{2}){0,2}(Z|[+-][0-9]{2}(:[0-9]{2})?))$/;
    const written = popoloInstant(style, new Date('2024-07-01T10:00:00.250Z'))!;
    expect(written).toBe('2024-07-01T12:00:00+02:00');
    expect(written).toMatch(popoloDate);
  });

  it("categories in Popolo's lower case, ids as the API's global ids, and sources that read them again", () => {
    expect(category('IN_PROGRESS')).toBe('in_progress');
    expect(category(null)).toBeNull();
    expect(idOf('Session', 7)).toBe(Buffer.from('Session:7').toString('base64url'));
    expect(idOf('Seat', null)).toBeNull();
    expect(sourceOf(style, 'Person', 1)).toEqual({
      url: 'https://obrady.example/graphql',
      note: `Obrady API: node(id: "${idOf('Person', 1)}")`,
    });
  });

  it('a README section naming every column of a table', () => {
    const text = describeTable({
      file: 'x.csv',
      about: 'A line per x',
      columns: [
        { name: 'a', about: 'The a', value: () => null },
        { name: 'b', about: 'The b', value: () => null },
      ],
    });
    expect(text).toBe('## x.csv\n\nA line per x\n\n- `a`: The a.\n- `b`: The b.\n');
  });
});

describe('If-None-Match', () => {
  it.each([
    [undefined, '"v1"', false],
    ['"v1"', '"v1"', true],
    ['"v0", "v1"', '"v1"', true],
    ['W/"v1"', '"v1"', true],
    ['"v1"', 'W/"v1"', true],
    ['"v2"', '"v1"', false],
    ['*', '"v1"', true],
  ])('%s against %s: %s', (header, tag, holds) => {
    expect(ifNoneMatchHolds(header, tag)).toBe(holds);
  });
});
