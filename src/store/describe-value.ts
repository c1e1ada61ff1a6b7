/**
 * How a value of the wrong type is named in a message about a file someone else wrote: "true",
 * "a list", "the text "5"". Never "[object Object]", and a long text is cut.
 */
export function describeValue(v: unknown): string {
  if (v === null) return 'empty';
  if (v === undefined) return 'missing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the text "${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return 'a group of fields';
}
