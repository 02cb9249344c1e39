import { searchWords } from '../../src/validation/search-words';
import { nameMatches, searchSql } from '../../src/services/search-query';
import { MARK_END, MARK_START, bestSnippet, snippetHtml } from '../../src/services/search-snippet.rules';

const b = (word: string): string => `${MARK_START}${word}${MARK_END}`;

describe('searchWords', () => {
  it('splits on any whitespace and keeps only what holds a letter or digit', () => {
    expect(searchWords('  dane\tosobowe \n - 100% "" ')).toEqual(['dane', 'osobowe', '100%']);
    expect(searchWords('Zarządów')).toEqual(['Zarządów']);
    expect(searchWords('   ')).toEqual([]);
  });

  it('refuses what is too long, has too many words or holds forbidden characters, naming the argument', () => {
    for (const [text, argumentName] of [
      ['x'.repeat(201), 'query'],
      ['a b c d e f g h i', 'query'],
      ['dane\u0007', 'query'],
    ] as const) {
      expect(() => searchWords(text, argumentName)).toThrow(
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argumentName }) }),
      );
    }
  });
});

describe('searchSql', () => {
  it('passes every word as a value, never as query syntax, and requires every word', () => {
    const params: unknown[] = [];
    const search = searchSql(['dane', "o'sobowe & !x"], (value) => `$${params.push(value)}`);
    expect(params).toEqual(['dane', "o'sobowe & !x"]);
    expect(search.all).not.toContain('sobowe');
    expect(search.all.split(' && ')).toHaveLength(2);
    expect(search.words.map((word) => word.text)).toEqual(['$1', '$2']);
    expect(nameMatches(search, 'p.v', 'p.n').split(' AND ')).toHaveLength(2);
  });
});

describe('snippets', () => {
  it('escapes everything and turns only the marks into <b>…</b>', () => {
    expect(snippetHtml(`<script>alert("x")</script> ${b('Budżet')} & 'plan'`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <b>Budżet</b> &amp; &#39;plan&#39;',
    );
    // The stand-ins for < and > that keep ts_headline from dropping what looks like a tag.
    expect(snippetHtml('\uE002b\uE003nie\uE002/b\uE003')).toBe('&lt;b&gt;nie&lt;/b&gt;');
  });

  it('takes the headline that marks more words, the stemmed one on a tie', () => {
    expect(bestSnippet(`Rad i Zarządów`, `Rad i ${b('Zarządów')}`)).toBe('Rad i <b>Zarządów</b>');
    expect(bestSnippet(`${b('danych')} ${b('osobowych')}`, `danych ${b('osobowych')}`)).toBe(
      '<b>danych</b> <b>osobowych</b>',
    );
    expect(bestSnippet(null, null)).toBeNull();
  });
});
