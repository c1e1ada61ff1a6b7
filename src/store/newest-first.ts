/** A cursor of idb's as far as a backwards walk needs it. */
interface ValueCursor<V> {
  value: V;
  continue(): Promise<ValueCursor<V> | null>;
}

/**
 * The values of a cursor opened backwards ('prev'), newest first, up to `limit` of them: a
 * cursor rather than getAll, because getAll can only take its limit from the oldest end.
 */
export async function newestFirst<V>(opening: Promise<ValueCursor<V> | null>, limit?: number): Promise<V[]> {
  const out: V[] = [];
  for (let c = await opening; c && (limit === undefined || out.length < limit); c = await c.continue())
    out.push(c.value);
  return out;
}
