import { buildSchema, parse, validate } from 'graphql';
import { maxRowsRule } from '../../src/security/max-rows.rule';

// The rule looks at the document only; a schema with the shapes it meets is enough to validate against.
const schema = buildSchema(`
  type Query { people(first: Int): PersonConnection! session: Session search(query: String!, first: Int): SearchConnection! }
  type SearchConnection { nodes: [SearchHit!]! }
  type SearchHit { node: Person! }
  type PersonConnection { nodes: [Person!]! }
  type Person { attendance(first: Int, after: String): RecordConnection! ballots(first: Int): BallotConnection! }
  type RecordConnection { nodes: [Record!]! totalCount: Int! }
  type BallotConnection { nodes: [Ballot!]! }
  type Record { status: String }
  type Ballot { option: String }
  type Session { attendance: [Record!]! }
`);
const refused = (query: string, maxRows: number) =>
  validate(schema, parse(query), [maxRowsRule(maxRows)]).map((error) => error.message);

describe('the rows an operation may ask for', () => {
  it('counts Person.attendance and Person.ballots as pages, Session.attendance as a plain list', () => {
    expect(refused('{ people(first: 100) { nodes { attendance(first: 100) { nodes { status } } } } }', 9_999)).toEqual([
      expect.stringMatching(/up to 10000 rows/),
    ]);
    expect(refused('{ people(first: 100) { nodes { attendance { totalCount } } } }', 1_999)).toEqual([
      expect.stringMatching(/up to 2000 rows/),
    ]);
    expect(refused('{ people(first: 10) { nodes { ballots { nodes { option } } } } }', 199)).toEqual([
      expect.stringMatching(/up to 200 rows/),
    ]);
    expect(refused('{ session { attendance { status } } }', 1)).toEqual([]);
  });

  it('counts the hits of a search as a page', () => {
    expect(
      refused(
        '{ search(query: "rada", first: 100) { nodes { node { attendance(first: 100) { nodes { status } } } } } }',
        9_999,
      ),
    ).toEqual([expect.stringMatching(/up to 10000 rows/)]);
    expect(refused('{ search(query: "rada") { nodes { node { ballots { nodes { option } } } } } }', 399)).toEqual([
      expect.stringMatching(/up to 400 rows/),
    ]);
  });

  it('counts a page reached through a fragment at its worst', () => {
    const query = `{ people(first: 100) { nodes { attendance { ...Page } } } }
      fragment Page on RecordConnection { nodes { status } }`;
    expect(refused(query, 1_999)).toEqual([expect.stringMatching(/up to 2000 rows/)]);
  });
});
