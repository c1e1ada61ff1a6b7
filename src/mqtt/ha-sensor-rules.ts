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
  // Since Home Assistant 2025.11: a difference of temperatures, so 26 K is not read as −247 °C.
  temperature_delta: { units: ['K', '°C', '°F'], stateClasses: ['measurement'] },
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

/** What Home Assistant would object to in this combination, or undefined when it accepts it. */
export function haClassProblem(cls: {
  device_class?: string;
  unit?: string;
  state_class?: string;
}): string | undefined {
  if (cls.state_class !== undefined && !['measurement', 'total', 'total_increasing'].includes(cls.state_class))
    return `state_class ${cls.state_class} does not exist`;
  if (cls.device_class === undefined) return undefined;
  const rule = HA_SENSOR_RULES[cls.device_class];
  if (!rule) return `device_class ${cls.device_class} is not in the table of classes the app may use`;
  if (cls.unit === undefined || !rule.units.includes(cls.unit))
    return `device_class ${cls.device_class} takes ${rule.units.join(', ')}, not ${cls.unit ?? 'no unit'}`;
  if (cls.state_class !== undefined && !rule.stateClasses.includes(cls.state_class as HaStateClass))
    return `device_class ${cls.device_class} takes state_class ${rule.stateClasses.join(' or ')}, not ${cls.state_class}`;
  return undefined;
}
