/**
 * Home Assistant's rules for MQTT sensors: the units each device class accepts and the state
 * classes it allows (homeassistant/components/sensor/const.py, DEVICE_CLASS_UNITS and
 * DEVICE_CLASS_STATE_CLASSES, as of 2025.11). Only the classes a heat meter's units can map to.
 * Home Assistant rejects or warns about any other combination and then drops the statistics.
 */
export type HaStateClass = 'measurement' | 'total' | 'total_increasing';

export interface HaSensorRule {
  units: readonly string[];
  stateClasses: readonly HaStateClass[];
  /** The first Home Assistant release that knows the class ("2025.11"); an older one logs an error and creates no entity. */
  since?: string;
}

const TOTALS: readonly HaStateClass[] = ['total', 'total_increasing'];
const VOLUME_UNITS = ['L', 'mL', 'gal', 'fl. oz.', 'm³', 'ft³', 'CCF', 'MCF'];

export const HA_SENSOR_RULES: Readonly<Record<string, HaSensorRule>> = {
  energy: {
    units: ['J', 'kJ', 'MJ', 'GJ', 'mWh', 'Wh', 'kWh', 'MWh', 'GWh', 'TWh', 'cal', 'kcal', 'Mcal', 'Gcal'],
    stateClasses: TOTALS,
  },
  power: { units: ['mW', 'W', 'kW', 'MW', 'GW', 'TW', 'BTU/h'], stateClasses: ['measurement'] },
  temperature: { units: ['°C', '°F', 'K'], stateClasses: ['measurement'] },
  // A difference of temperatures, so 26 K is not read as −247 °C; unknown before 2025.11.
  temperature_delta: { units: ['K', '°C', '°F'], stateClasses: ['measurement'], since: '2025.11' },
  volume: { units: VOLUME_UNITS, stateClasses: TOTALS },
  volume_storage: { units: VOLUME_UNITS, stateClasses: ['measurement'] },
  volume_flow_rate: {
    units: ['m³/h', 'm³/min', 'm³/s', 'ft³/min', 'L/h', 'L/min', 'L/s', 'gal/h', 'gal/min', 'gal/d', 'mL/s'],
    stateClasses: ['measurement'],
  },
  duration: { units: ['d', 'h', 'min', 's', 'ms', 'µs'], stateClasses: ['measurement', ...TOTALS] },
  pressure: {
    units: ['Pa', 'hPa', 'kPa', 'bar', 'cbar', 'mbar', 'mmHg', 'inHg', 'psi'],
    stateClasses: ['measurement'],
  },
};

/** "2025.6" before "2025.11": Home Assistant's year.month releases compared as numbers. */
function olderThan(version: string, than: string): boolean {
  const [a, b] = [version, than].map((v) => v.split('.').map(Number));
  for (let i = 0; i < Math.max(a!.length, b!.length); i++) {
    const d = (a![i] ?? 0) - (b![i] ?? 0);
    if (d !== 0) return d < 0;
  }
  return false;
}

/**
 * What Home Assistant would object to in this combination, or undefined when it accepts it;
 * with `haVersion`, also a device class that release does not know yet.
 */
export function haClassProblem(
  cls: {
    device_class?: string;
    unit?: string;
    state_class?: string;
  },
  haVersion?: string,
): string | undefined {
  if (cls.state_class !== undefined && !['measurement', 'total', 'total_increasing'].includes(cls.state_class))
    return `state_class ${cls.state_class} does not exist`;
  if (cls.device_class === undefined) return undefined;
  const rule = HA_SENSOR_RULES[cls.device_class];
  if (!rule) return `device_class ${cls.device_class} is not in the table of classes the app may use`;
  if (haVersion !== undefined && rule.since !== undefined && olderThan(haVersion, rule.since))
    return `device_class ${cls.device_class} exists since Home Assistant ${rule.since}, not in ${haVersion}`;
  if (cls.unit === undefined || !rule.units.includes(cls.unit))
    return `device_class ${cls.device_class} takes ${rule.units.join(', ')}, not ${cls.unit ?? 'no unit'}`;
  if (cls.state_class !== undefined && !rule.stateClasses.includes(cls.state_class as HaStateClass))
    return `device_class ${cls.device_class} takes state_class ${rule.stateClasses.join(' or ')}, not ${cls.state_class}`;
  return undefined;
}
