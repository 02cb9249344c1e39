/**
 * The README's example operations (its ```graphql blocks), in order: the explorer opens one tab for each, so what
 * the README shows is what a visitor can run. test/read/same-answers.test.ts reads the same blocks.
 * @param {string} readme the README's text
 * @returns {string[]}
 */
export function readmeExamples(readme) {
  return [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1].trimEnd() + '\n');
}
