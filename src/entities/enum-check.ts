/** A CHECK expression that keeps a varchar column to the values of a TypeScript enum. */
export function enumCheck(column: string, values: Record<string, string>): string {
  const list = Object.values(values)
    .map((value) => `'${value}'`)
    .join(', ');
  return `"${column}" IN (${list})`;
}
