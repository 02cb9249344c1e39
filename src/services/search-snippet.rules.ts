/**
 * Snippets. ts_headline marks the matched words with two characters of Unicode's private use area; it would
 * also drop whatever its parser takes for an HTML tag, so `<` and `>` go in as two more such characters. All
 * four are taken out of the stored text first, so that no text can forge one. The passage is then HTML-escaped
 * whole, and only the marks become <b>…</b>: a title holding `<script>` comes back as `&lt;script&gt;`.
 */
export const MARK_START = '\uE000';
export const MARK_END = '\uE001';
const LESS_THAN = '\uE002';
const GREATER_THAN = '\uE003';

/** SQL: the text `body` as ts_headline must see it (the marks out of it, `<` and `>` hidden). */
export function headlineInput(body: string): string {
  return `translate(translate(${body}, '${MARK_START}${MARK_END}${LESS_THAN}${GREATER_THAN}', ''), '<>', '${LESS_THAN}${GREATER_THAN}')`;
}

/** Texts up to this many characters (a title, a name, a motion) are shown whole; longer ones in passages. */
export const WHOLE_TEXT_CHARACTERS = 300;

/** ts_headline's options: the whole text, or up to two passages of about 10–30 words joined by an ellipsis. */
export const HEADLINE_WHOLE = `StartSel=${MARK_START}, StopSel=${MARK_END}, HighlightAll=true`;
export const HEADLINE_PASSAGES = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=30, MinWords=10, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  [MARK_START]: '<b>',
  [MARK_END]: '</b>',
  [LESS_THAN]: '&lt;',
  [GREATER_THAN]: '&gt;',
};

/** A headline as HTML: everything escaped, the marked words in <b>…</b>. */
export function snippetHtml(headline: string): string {
  return headline.replace(/[&<>"'\uE000-\uE003]/g, (c) => ESCAPES[c]!);
}

const marks = (headline: string): number => headline.split(MARK_START).length - 1;

/**
 * Of the headlines under the two configurations (dictionary forms, and spellings without diacritics), the one
 * that marks more words: "zarzadow" is marked only by the second, "danych" for "dane" only by the first.
 */
export function bestSnippet(stemmed: string | null, plain: string | null): string | null {
  const chosen = stemmed !== null && plain !== null && marks(plain) > marks(stemmed) ? plain : (stemmed ?? plain);
  return chosen === null ? null : snippetHtml(chosen);
}
