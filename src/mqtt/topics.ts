/** Every topic the app publishes to, in one place, so the README and the code cannot drift. */

/** The reference project's topic: one JSON object of numbers keyed by its parameter names. */
export const valuesTopic = (base: string): string => `${base}/values`;

/** Per meter: the full reading (timestamp, every value with unit and exact decimal). */
export const stateTopic = (base: string, serial: number): string => `${base}/${serial}/state`;

/** Per meter: `online` while a session with the meter is open in the app, `offline` after. */
export const availabilityTopic = (base: string, serial: number): string => `${base}/${serial}/availability`;

/** Per meter: a read that failed, in words (the reference project sent an empty `{}` instead). */
export const errorTopic = (base: string, serial: number): string => `${base}/${serial}/error`;

/** The app's own connection: `online`, and `offline` as its last will when the tab goes away. */
export const bridgeStatusTopic = (base: string): string => `${base}/status`;

/** What the reader does, retained: `polling`, `connected` (a meter, no polling) or `no meter`. */
export const activityTopic = (base: string): string => `${base}/activity`;

/** Home Assistant's birth message: when it says `online`, discovery is sent again. */
export const haStatusTopic = (prefix: string): string => `${prefix}/status`;

/** The Home Assistant node id for a meter: scopes every entity of that meter. */
export const haNodeId = (serial: number): string => `kamstrup_${serial}`;

export const discoveryTopic = (
  prefix: string,
  component: 'sensor' | 'binary_sensor',
  serial: number,
  objectId: string,
): string => `${prefix}/${component}/${haNodeId(serial)}/${objectId}/config`;
