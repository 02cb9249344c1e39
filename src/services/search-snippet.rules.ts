/**
 * Snippets: ts_headline marks the matched words with two characters of Unicode's private use area, taken out of
 * the text first so that no stored text can forge one; the passage is then HTML-escaped whole and only the
 * marks become <b>…</b>. A title holding `<script>` comes back as `&lt;script&gt;`.
 */
export const MARK_START = '\uE000';
export const MARK_END = '\uE001';

/** ts_headline's options: up to two passages of about 10–30 words, joined by an ellipsis. */
export const HEADLINE_OPTIONS = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=30, MinWords=10, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A headline as HTML: everything escaped, the marked words in <b>…</b>. */
export function snippetHtml(headline: string): string {
  return headline
    .replace(/[&<>"']/g, (c) => ESCAPES[c]!)
    .replaceAll(MARK_START, '<b>')
    .replaceAll(MARK_END, '</b>');
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
