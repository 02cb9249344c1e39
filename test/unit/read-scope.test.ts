import { ReadScope, TRACKED, tracked } from '../../src/cache/read-scope';

describe('ReadScope: what an answer read, for the public read cache', () => {
  it('keeps the version each session had when its row was read', () => {
    const scope = new ReadScope();
    scope.sawSession(7, '12');
    scope.sawSession(9, '3');
    scope.sawSession(7, '12');
    scope.requireSession(7);
    expect(scope.sessions()).toEqual(
      new Map([
        [7, '12'],
        [9, '3'],
      ]),
    );
    expect(scope.reason).toBeNull();
  });

  it('keeps nothing when a session changed while the answer was computed', () => {
    const scope = new ReadScope();
    scope.sawSession(7, '12');
    scope.sawSession(7, '13');
    expect(scope.sessions()).toBeNull();
    expect(scope.reason).toBe('session 7 changed during the computation');
  });

  it("keeps nothing when a session's data was read before its version", () => {
    const scope = new ReadScope();
    scope.requireSession(4);
    scope.sawSession(4, '1');
    expect(scope.sessions()).toBeNull();
  });

  it('keeps nothing after a read it cannot account for, and remembers the first reason', () => {
    const scope = new ReadScope();
    scope.spoil('an untracked statement');
    scope.spoil('a search of sessions');
    scope.sawSession(1, null);
    expect(scope.sessions()).toBeNull();
    expect(scope.reason).toBe('an untracked statement');
  });

  it('marks statements with the comment TypeORM writes for `comment: "dv"`', () => {
    expect(TRACKED).toBe('/* dv */');
    expect(tracked('SELECT 1')).toBe('/* dv */ SELECT 1');
  });
});
