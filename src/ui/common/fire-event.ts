/**
 * Typed DOM events: every event name and its detail type is declared in KmpEvents, so a
 * misspelt event is a compile error (Home Assistant's fire_event pattern).
 */
declare global {
  // Empty here on purpose: each emitter adds its events beside itself by declaration merging.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- see above
  interface KmpEvents {}
}

export function fireEvent<K extends keyof KmpEvents>(node: EventTarget, type: K, detail: KmpEvents[K]): void {
  node.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
