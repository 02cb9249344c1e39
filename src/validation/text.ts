import { BadUserInputError } from '../errors';

/**
 * What text a person may send us. One set of rules for every string input
 * of every mutation (checked centrally, see mutation-input.ts) and, with
 * trimming and per-field lengths, by the services that store it. Each rule
 * guards against something real: PostgreSQL's json and text types reject
 * lone surrogates and NUL (which surfaced as internal errors); control
 * characters garble logs, CSV exports and screens; bidirectional controls
 * make a title display differently from what it says (the "Trojan Source"
 * trick); a string of only invisible characters is an empty one in disguise.
 */

/** Embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069). */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
/** C0 controls but tab, line feed and carriage return; DEL; C1 controls. */
const CONTROL = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** Characters that show nothing: whitespace, zero-width spaces and joiners, word joiner, BOM, soft hyphen. */
const INVISIBLE = /^[\s\u00AD\u180E\u200B-\u200F\u2060-\u2064\uFEFF]*$/u;

/** Refuses text these rules do not allow, naming the argument it came in. */
export function assertCleanText(value: string, argumentName: string): void {
  const problem = textProblem(value);
  if (problem) throw new BadUserInputError(argumentName, `${argumentName} ${problem}`);
}

const codePoint = (unit: number): string => `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;

/** The first problem with a text, as the end of a sentence that begins with the field's name; null if none. */
export function textProblem(value: string): string | null {
  const at = loneSurrogateAt(value);
  if (at >= 0) {
    return `contains a lone surrogate ${codePoint(value.charCodeAt(at))} at character ${at + 1}: text must be valid Unicode (UTF-16 surrogates come in pairs).`;
  }
  if (value.includes('\u0000')) return 'must not contain the NUL character (U+0000).';
  const control = CONTROL.exec(value);
  if (control) {
    return `must not contain the control character ${codePoint(control[0].charCodeAt(0))} (at character ${control.index + 1}); only tab and line breaks are allowed.`;
  }
  const bidi = BIDI_CONTROL.exec(value);
  if (bidi) {
    return `must not contain the bidirectional control ${codePoint(bidi[0].charCodeAt(0))} (at character ${bidi.index + 1}): it makes text display differently from what it says.`;
  }
  return null;
}

/** True when a text shows nothing at all: empty, whitespace or zero-width characters only. */
export function isInvisible(value: string): boolean {
  return INVISIBLE.test(value);
}

/** Length in characters as a person counts them (code points, so an emoji is one). */
export function characterCount(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i += 1) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length) i += 1;
    count += 1;
  }
  return count;
}

function loneSurrogateAt(value: string): number {
  for (let i = 0; i < value.length; i += 1) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
      else return i;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return i;
    }
  }
  return -1;
}

function checkedText(value: string, argumentName: string, max: number): string {
  assertCleanText(value, argumentName);
  const text = value.trim();
  if (characterCount(text) > max)
    throw new BadUserInputError(argumentName, `${argumentName} may be at most ${max} characters long.`);
  return text;
}

/** Text a person typed: clean, trimmed, not empty (nor only invisible characters), not longer than the column. */
export function requiredText(value: string, argumentName: string, max = 500): string {
  const text = checkedText(value, argumentName, max);
  if (text.length === 0) throw new BadUserInputError(argumentName, `${argumentName} must not be empty.`);
  if (isInvisible(text)) {
    throw new BadUserInputError(argumentName, `${argumentName} must not be made only of invisible characters.`);
  }
  return text;
}

/** Optional text: null clears it, undefined leaves it as it is; only invisible characters is a mistake, not a clearing. */
export function optionalText(
  value: string | null | undefined,
  argumentName: string,
  max: number,
): string | null | undefined {
  if (value === undefined || value === null) return value;
  const text = checkedText(value, argumentName, max);
  if (text === '') return null;
  if (isInvisible(text)) {
    throw new BadUserInputError(
      argumentName,
      `${argumentName} must not be made only of invisible characters; send null or "" to clear it.`,
    );
  }
  return text;
}
