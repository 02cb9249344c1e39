import { characterCount, isInvisible, textProblem } from '../../src/validation/text';

describe('text input rules', () => {
  it.each([
    ['x\ud800y', /lone surrogate U\+D800 at character 2/],
    ['\udfffx', /lone surrogate U\+DFFF at character 1/],
    ['a\u0000b', /NUL character/],
    ['dzwonek\u0007', /control character U\+0007 \(at character 8\)/],
    ['\u001b[31mczerwony', /control character U\+001B/],
    ['del\u007f', /control character U\+007F/],
    ['c1\u0085', /control character U\+0085/],
    ['Uchwała \u202Ejakwahcu', /bidirectional control U\+202E/],
    ['\u2066izolat\u2069', /bidirectional control U\+2066/],
  ])('refuses %j', (value, problem) => {
    expect(textProblem(value)).toMatch(problem);
  });

  it.each([
    'Zażółć gęślą jaźń',
    'Opis\nw dwóch wierszach\r\n\tz wcięciem',
    '𝄞🏛️ ﬁ עברית 東京',
    'znak\u200Bzerowy w środku',
    "'; DROP TABLE session; --",
  ])('accepts %j', (value) => {
    expect(textProblem(value)).toBeNull();
  });

  it('sees strings of whitespace and zero-width characters as showing nothing', () => {
    expect(isInvisible('\u200B\u200C\u200D\uFEFF \u2060')).toBe(true);
    expect(isInvisible('')).toBe(true);
    expect(isInvisible('\u200Ba')).toBe(false);
  });

  it('counts characters as a person does, an astral character as one', () => {
    expect(characterCount('ąę')).toBe(2);
    expect(characterCount('𝄞🏛')).toBe(2);
    expect(characterCount('a'.repeat(10))).toBe(10);
  });
});
