import { REGISTERS, registerById, type Quantity, type RegisterValue } from '../kmp/index.ts';
import { valueKey } from './payloads.ts';
import { availabilityTopic, bridgeStatusTopic, discoveryTopic, haNodeId, stateTopic } from './topics.ts';

/** A message to publish: discovery configs are always retained. */
export interface OutMessage {
  topic: string;
  payload: string;
  retain: boolean;
}

export interface MeterDescription {
  serial: number;
  model?: string;
  softwareRevision?: string;
}

export interface DiscoveryOptions {
  prefix: string;
  baseTopic: string;
  /** The app's version, for Home Assistant's `origin`. */
  appVersion: string;
  /** Seconds after the last reading when Home Assistant shows the sensors unavailable (see expireAfterSeconds). */
  expireAfterS?: number;
}

/**
 * How long a reading stays current in Home Assistant: three poll intervals and a minute (a
 * read's retries, a hidden tab's late timer), so one missed poll is forgiven and readings that
 * stopped show as unavailable instead of the last value for ever.
 */
export function expireAfterSeconds(pollIntervalMs: number): number {
  return Math.round((3 * pollIntervalMs + 60_000) / 1000);
}

interface SensorClass {
  device_class?: string;
  state_class?: 'measurement' | 'total' | 'total_increasing';
  /** The unit Home Assistant is told; differs from the meter's when a template converts. */
  unit?: string;
  /** Multiplies the meter's value (l/h → m³/h). */
  scale?: number;
}

const ENERGY_UNITS = new Set(['Wh', 'kWh', 'MWh', 'GWh', 'J', 'kJ', 'MJ', 'GJ', 'cal', 'kcal', 'Mcal', 'Gcal']);
const POWER_UNITS = new Set(['W', 'kW', 'MW', 'GW']);
const DURATION_UNITS = new Set(['ms', 's', 'min', 'h', 'd']);

/**
 * The meter's unit in Home Assistant's spelling, and the factor that gets it there: KMP's
 * "GJ ×10" family counts in tens, l/h goes out as m³/h (the flow unit every version accepts).
 */
function haUnit(unit: string): { unit: string; scale?: number } {
  const tens = /^(.+) ×10$/.exec(unit)?.[1];
  if (tens) return { ...haUnit(tens), scale: 10 };
  if (unit === 'l') return { unit: 'L' };
  if (unit === 'l/h') return { unit: 'm³/h', scale: 0.001 };
  if (unit === 'ton') return { unit: 't' };
  if (unit === 'ton/h') return { unit: 't/h' };
  if (unit === 'days') return { unit: 'd' };
  return { unit };
}

/**
 * Home Assistant's device_class, state_class and unit for a value, from the unit the meter
 * reported (never a hard-coded one), within Home Assistant's rules (ha-sensor-rules.ts): energy
 * in GJ, MWh or kWh becomes an energy total the Energy dashboard accepts; a temperature
 * difference is a measurement in K, never an absolute temperature; a unit no device class
 * fits gets none.
 */
export function sensorClass(quantity: Quantity | undefined, meterUnit: string): SensorClass {
  const { unit, scale } = haUnit(meterUnit);
  const scaled = scale === undefined ? {} : { scale };
  if (ENERGY_UNITS.has(unit))
    return quantity === 'energy'
      ? { device_class: 'energy', state_class: 'total_increasing', unit, ...scaled }
      : { unit, ...scaled };
  if (POWER_UNITS.has(unit)) return { device_class: 'power', state_class: 'measurement', unit, ...scaled };
  // A difference of temperatures: in K (1 °C of difference is 1 K), without a device class.
  // `temperature` would read 26 K as −247 °C; `temperature_delta` exists only since Home
  // Assistant 2025.11, and an older one logs an error and creates no entity at all.
  if (unit === 'K' || (unit === '°C' && quantity === 'temperatureDifference'))
    return { state_class: 'measurement', unit: 'K' };
  if (unit === '°C') return { device_class: 'temperature', state_class: 'measurement', unit };
  if (unit === 'm³/h') return { device_class: 'volume_flow_rate', state_class: 'measurement', unit, ...scaled };
  if (unit === 'm³' || unit === 'L')
    return quantity === 'volume'
      ? { device_class: 'volume', state_class: 'total_increasing', unit, ...scaled }
      : { device_class: 'volume_storage', state_class: 'measurement', unit, ...scaled };
  if (unit === 't') return { state_class: quantity === 'mass' ? 'total_increasing' : 'measurement', unit, ...scaled };
  if (DURATION_UNITS.has(unit))
    return {
      device_class: 'duration',
      state_class: quantity === 'duration' ? 'total_increasing' : 'measurement',
      unit,
    };
  if (unit === 'bar') return { device_class: 'pressure', state_class: 'measurement', unit };
  if (unit === 'm³×°C') return { state_class: 'total_increasing', unit };
  if (quantity === 'counter') return { state_class: 'total_increasing' };
  if (quantity === 'date' || quantity === 'time' || quantity === 'infoCode' || unit === '') return {};
  return { state_class: 'measurement', unit, ...scaled };
}

function device(meter: MeterDescription) {
  // The session's model already says "MULTICAL 402" (src/link/model-guess.ts); a bare number
  // (an older stored record, a settings file) gets the family name once.
  const given = meter.model?.trim();
  const model = !given ? 'MULTICAL' : /^multical\b/i.test(given) ? given : `MULTICAL ${given}`;
  return {
    identifiers: [haNodeId(meter.serial)],
    manufacturer: 'Kamstrup',
    model,
    name: `Kamstrup ${model} ${meter.serial}`,
    serial_number: String(meter.serial),
    ...(meter.softwareRevision ? { sw_version: meter.softwareRevision } : {}),
  };
}

/** Jinja reads `value_json.values` as the dict method; brackets avoid every such clash. */
function valueTemplate(key: string, cls: SensorClass, quantity: Quantity | undefined): string {
  const base = `value_json['registers']['${key}']`;
  if (cls.scale !== undefined) return `{{ (${base}['value'] * ${cls.scale}) | round(6) }}`;
  if (quantity === 'date' || quantity === 'time')
    return `{{ ${base}['text'] if 'text' in ${base} else ${base}['value'] }}`;
  return `{{ ${base}['value'] }}`;
}

/** Discovery config messages for every value of a reading, plus the "reader connected" sensor. */
export function discoveryMessages(
  meter: MeterDescription,
  values: readonly RegisterValue[],
  options: DiscoveryOptions,
): OutMessage[] {
  const dev = device(meter);
  const origin = { name: 'kmp-web', sw_version: options.appVersion };
  const state = stateTopic(options.baseTopic, meter.serial);
  const out: OutMessage[] = [];
  for (const v of values) {
    const info = registerById(v.id);
    const key = valueKey(v.id);
    const cls = sensorClass(info?.quantity, v.unit);
    const uniqueId = `${haNodeId(meter.serial)}_${key}`;
    const config: Record<string, unknown> = {
      name: info?.label ?? `Register ${v.id}`,
      unique_id: uniqueId,
      default_entity_id: `sensor.${uniqueId}`,
      state_topic: state,
      value_template: valueTemplate(key, cls, info?.quantity),
      ...(cls.unit ? { unit_of_measurement: cls.unit } : {}),
      ...(cls.device_class ? { device_class: cls.device_class } : {}),
      ...(cls.state_class ? { state_class: cls.state_class } : {}),
      ...(info?.diagnostic ? { entity_category: 'diagnostic' } : {}),
      // Unavailable when the app is gone (its last will) or no session with this meter is open,
      // and when readings stop coming while both still say online.
      availability: [
        { topic: bridgeStatusTopic(options.baseTopic) },
        { topic: availabilityTopic(options.baseTopic, meter.serial) },
      ],
      availability_mode: 'all',
      ...(options.expireAfterS !== undefined ? { expire_after: options.expireAfterS } : {}),
      json_attributes_topic: state,
      json_attributes_template:
        v.id === 0x63
          ? `{{ {'meaning': value_json['infoCodeText'] | default(''), 'last_read': value_json['timestamp']} | tojson }}`
          : `{{ {'decimal': value_json['registers']['${key}']['decimal'], 'meter_unit': value_json['registers']['${key}']['unit'], 'last_read': value_json['timestamp']} | tojson }}`,
      device: dev,
      origin,
    };
    out.push({
      topic: discoveryTopic(options.prefix, 'sensor', meter.serial, key),
      payload: JSON.stringify(config),
      retain: true,
    });
  }
  const readerId = `${haNodeId(meter.serial)}_reader`;
  out.push({
    topic: discoveryTopic(options.prefix, 'binary_sensor', meter.serial, 'reader'),
    payload: JSON.stringify({
      name: 'Reader connected',
      unique_id: readerId,
      default_entity_id: `binary_sensor.${readerId}`,
      state_topic: availabilityTopic(options.baseTopic, meter.serial),
      payload_on: 'online',
      payload_off: 'offline',
      device_class: 'connectivity',
      entity_category: 'diagnostic',
      availability_topic: bridgeStatusTopic(options.baseTopic),
      device: dev,
      origin,
    }),
    retain: true,
  });
  return out;
}

/**
 * Removes a meter from Home Assistant: an empty retained config for every entity the app could
 * ever have announced for it (not only this session's), and clears its retained state.
 */
export function removalMessages(serial: number, options: Pick<DiscoveryOptions, 'prefix' | 'baseTopic'>): OutMessage[] {
  const keys = new Set(REGISTERS.map((r) => r.key));
  const out: OutMessage[] = [...keys].map((key) => ({
    topic: discoveryTopic(options.prefix, 'sensor', serial, key),
    payload: '',
    retain: true,
  }));
  out.push({ topic: discoveryTopic(options.prefix, 'binary_sensor', serial, 'reader'), payload: '', retain: true });
  out.push({ topic: stateTopic(options.baseTopic, serial), payload: '', retain: true });
  out.push({ topic: availabilityTopic(options.baseTopic, serial), payload: '', retain: true });
  return out;
}

/** What discovery depends on: when this changes for a meter, its configs are sent again. */
export function discoverySignature(
  meter: MeterDescription,
  values: readonly RegisterValue[],
  expireAfterS?: number,
): string {
  return JSON.stringify([
    meter.model ?? '',
    meter.softwareRevision ?? '',
    values.map((v) => [v.id, v.unit]),
    expireAfterS ?? null,
  ]);
}
