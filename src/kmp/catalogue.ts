import { KmpError } from './errors.ts';
import { words, type Sentences, type Words } from './words.ts';

export type Quantity =
  | 'energy'
  | 'volume'
  | 'mass'
  | 'power'
  | 'flow'
  | 'temperature'
  | 'temperatureDifference'
  | 'pressure'
  | 'date'
  | 'time'
  | 'duration'
  /** A time that counts down (battery days left): never a running total. */
  | 'timeLeft'
  | 'infoCode'
  | 'counter'
  | 'number'
  | 'temperatureVolume';

export type ModelTag = '402' | '403' | '602' | '603' | '601' | '801' | '302' | '303' | '803' | '21' | 'flowIQ' | '382';

/** What we know about a register. The unit always comes from the meter's reply, never from here. */
export interface RegisterInfo {
  id: number;
  /** Stable key: the reference project's parameter name where it has one, else camelCase. */
  key: string;
  /** The reference project's (kamstrup-402-mqtt) parameter name, spelt exactly as there. */
  seedName?: string;
  label: string;
  description: string;
  quantity: Quantity;
  /** What peers have seen; informational only. */
  typicalUnit?: string;
  /** Models the register is known on, from public implementations and captures. */
  models: readonly ModelTag[];
  notes?: string;
  /** Info code, counters, serial, clock: Home Assistant diagnostic entities. */
  diagnostic?: boolean;
  /** Where the name comes from, when it rests on one source only (how sure we are). */
  source?: string;
}

// Sources: docs/registers.md#sources (the seed, golles, PyKMP, MeterLogger's MC601 list, the
// 302 list, Tasmota captures). "Common" = the 302/402/403/601/602/603 family.
// Stryker disable all: static table data, not logic (see stryker-equivalents.md)
const COMMON: readonly ModelTag[] = ['302', '402', '403', '601', '602', '603'];
const MC601_LIST: readonly ModelTag[] = ['601', '602', '603'];

function r(
  id: number,
  key: string,
  label: string,
  quantity: Quantity,
  extra: Partial<RegisterInfo> = {},
): RegisterInfo {
  return {
    id,
    key,
    label,
    description: extra.description ?? label,
    quantity,
    models: extra.models ?? COMMON,
    ...extra,
  };
}

/** The reference project's 31 parameters, in its order. Their names are kept as MQTT keys. */
const SEED: readonly RegisterInfo[] = [
  r(0x003c, 'energy', 'Heat energy E1', 'energy', {
    seedName: 'energy',
    typicalUnit: 'GJ, MWh or kWh (meter configuration)',
  }),
  r(0x0050, 'power', 'Power', 'power', { seedName: 'power', typicalUnit: 'kW' }),
  r(0x0056, 'temp1', 'Flow temperature T1', 'temperature', { seedName: 'temp1', typicalUnit: '°C' }),
  r(0x0057, 'temp2', 'Return temperature T2', 'temperature', { seedName: 'temp2', typicalUnit: '°C' }),
  r(0x0059, 'tempdiff', 'Temperature difference T1−T2', 'temperatureDifference', {
    seedName: 'tempdiff',
    typicalUnit: 'K',
  }),
  r(0x004a, 'flow', 'Flow V1', 'flow', { seedName: 'flow', typicalUnit: 'l/h', models: [...COMMON, '21'] }),
  r(0x0044, 'volume', 'Volume V1', 'volume', { seedName: 'volume', typicalUnit: 'm³', models: [...COMMON, '21'] }),
  r(0x008d, 'minflow_m', 'Min. flow this month', 'flow', { seedName: 'minflow_m', typicalUnit: 'l/h' }),
  r(0x008b, 'maxflow_m', 'Max. flow this month', 'flow', { seedName: 'maxflow_m', typicalUnit: 'l/h' }),
  r(0x008c, 'minflowDate_m', 'Date of min. flow this month', 'date', { seedName: 'minflowDate_m' }),
  r(0x008a, 'maxflowDate_m', 'Date of max. flow this month', 'date', { seedName: 'maxflowDate_m' }),
  r(0x0091, 'minpower_m', 'Min. power this month', 'power', { seedName: 'minpower_m', typicalUnit: 'kW' }),
  r(0x008f, 'maxpower_m', 'Max. power this month', 'power', { seedName: 'maxpower_m', typicalUnit: 'kW' }),
  r(0x0095, 'avgtemp1_m', 'Average T1 this month', 'temperature', { seedName: 'avgtemp1_m', typicalUnit: '°C' }),
  r(0x0096, 'avgtemp2_m', 'Average T2 this month', 'temperature', { seedName: 'avgtemp2_m', typicalUnit: '°C' }),
  r(0x0090, 'minpowerdate_m', 'Date of min. power this month', 'date', { seedName: 'minpowerdate_m' }),
  r(0x008e, 'maxpowerdate_m', 'Date of max. power this month', 'date', { seedName: 'maxpowerdate_m' }),
  r(0x007e, 'minflow_y', 'Min. flow this year', 'flow', { seedName: 'minflow_y', typicalUnit: 'l/h' }),
  r(0x007c, 'maxflow_y', 'Max. flow this year', 'flow', { seedName: 'maxflow_y', typicalUnit: 'l/h' }),
  r(0x007d, 'minflowdate_y', 'Date of min. flow this year', 'date', { seedName: 'minflowdate_y' }),
  r(0x007b, 'maxflowdate_y', 'Date of max. flow this year', 'date', { seedName: 'maxflowdate_y' }),
  r(0x0082, 'minpower_y', 'Min. power this year', 'power', { seedName: 'minpower_y', typicalUnit: 'kW' }),
  r(0x0080, 'maxpower_y', 'Max. power this year', 'power', { seedName: 'maxpower_y', typicalUnit: 'kW' }),
  r(0x0092, 'avgtemp1_y', 'Average T1 this year', 'temperature', { seedName: 'avgtemp1_y', typicalUnit: '°C' }),
  r(0x0093, 'avgtemp2_y', 'Average T2 this year', 'temperature', { seedName: 'avgtemp2_y', typicalUnit: '°C' }),
  r(0x0081, 'minpowerdate_y', 'Date of min. power this year', 'date', { seedName: 'minpowerdate_y' }),
  r(0x007f, 'maxpowerdate_y', 'Date of max. power this year', 'date', { seedName: 'maxpowerdate_y' }),
  r(0x0061, 'temp1xm3', 'E8: m³ × T1', 'temperatureVolume', { seedName: 'temp1xm3', typicalUnit: 'm³×°C' }),
  r(0x006e, 'temp2xm3', 'E9: m³ × T2', 'temperatureVolume', { seedName: 'temp2xm3', typicalUnit: 'm³×°C' }),
  r(0x0071, 'infoevent', 'Info event counter', 'counter', {
    seedName: 'infoevent',
    diagnostic: true,
    notes:
      'The reference project calls it "infoevent", but 113 counts info events; the current info code is register 99.',
  }),
  r(0x03ec, 'hourcounter', 'Operating hours', 'duration', {
    seedName: 'hourcounter',
    typicalUnit: 'h',
    models: [...COMMON, '21'],
    diagnostic: true,
  }),
];

const EXTRA: readonly RegisterInfo[] = [
  r(0x0063, 'infoCode', 'Info code', 'infoCode', {
    diagnostic: true,
    models: [...COMMON, '21'],
    description: 'Current info code: error and status bits',
  }),
  r(0x003f, 'coolingEnergy', 'Cooling energy E3', 'energy', { models: ['302', '403', '601', '602', '603'] }),
  r(0x003d, 'flowEnergy', 'Flow energy E4', 'energy', { models: MC601_LIST }),
  r(0x003e, 'returnEnergy', 'Return flow energy E5', 'energy', { models: MC601_LIST }),
  r(0x005e, 'controlEnergy', 'Control energy E2', 'energy', { models: MC601_LIST }),
  r(0x005f, 'tapWaterEnergy', 'Tap water energy E6', 'energy', { models: MC601_LIST }),
  r(0x0060, 'heatEnergyY', 'Heat energy E7', 'energy', {
    models: MC601_LIST,
    notes: 'No reply from a MULTICAL 403 in one report.',
  }),
  r(0x0040, 'tariff2', 'Tariff register TA2', 'energy', { models: MC601_LIST }),
  r(0x0041, 'tariff3', 'Tariff register TA3', 'energy', { models: MC601_LIST }),
  r(0x0042, 'tariffLimit2', 'Tariff limit TL2', 'number', { models: MC601_LIST }),
  r(0x0043, 'tariffLimit3', 'Tariff limit TL3', 'number', { models: MC601_LIST }),
  r(0x0045, 'volume2', 'Volume V2', 'volume', { models: MC601_LIST }),
  r(0x0048, 'mass1', 'Mass M1', 'mass', { models: MC601_LIST }),
  r(0x0049, 'mass2', 'Mass M2', 'mass', { models: MC601_LIST }),
  r(0x004b, 'flow2', 'Flow V2', 'flow', { models: MC601_LIST }),
  r(0x0054, 'inputA', 'Pulse input A', 'number', { models: MC601_LIST }),
  r(0x0055, 'inputB', 'Pulse input B', 'number', { models: MC601_LIST }),
  r(0x0058, 'temp3', 'Temperature T3', 'temperature', { models: MC601_LIST }),
  r(0x007a, 'temp4', 'Temperature T4', 'temperature', { models: MC601_LIST }),
  r(0x005b, 'pressure1', 'Pressure in flow', 'pressure', { models: MC601_LIST }),
  r(0x005c, 'pressure2', 'Pressure in return', 'pressure', { models: MC601_LIST }),
  r(0x0062, 'targetDate', 'Target (reading) date', 'date', { models: ['302', ...MC601_LIST] }),
  r(0x0068, 'meterNoB', 'Meter number for input B', 'number', { models: MC601_LIST, diagnostic: true }),
  r(0x0070, 'customerNoHigh', 'Customer number (high 8 digits)', 'number', { models: MC601_LIST, diagnostic: true }),
  r(0x0072, 'meterNoA', 'Meter number for input A', 'number', { models: MC601_LIST, diagnostic: true }),
  r(0x0098, 'programNo', 'Program number', 'number', { models: ['402', ...MC601_LIST], diagnostic: true }),
  r(0x0099, 'configNo1', 'Configuration number 1', 'number', { models: ['402', ...MC601_LIST], diagnostic: true }),
  r(0x00a8, 'configNo2', 'Configuration number 2', 'number', { models: ['402', ...MC601_LIST], diagnostic: true }),
  r(0x009a, 'softwareChecksum', 'Software checksum', 'number', { models: MC601_LIST, diagnostic: true }),
  r(0x009b, 'energyHighRes402', 'High-resolution energy (402/602)', 'energy', {
    models: ['402', '602'],
    notes: 'For testing; no reply on a MULTICAL 403.',
  }),
  r(0x009d, 'topModuleId', 'Top module id', 'number', { models: ['601'], diagnostic: true }),
  r(0x009e, 'baseModuleId', 'Base module id', 'number', { models: MC601_LIST, diagnostic: true }),
  r(0x00af, 'errorHours', 'Error hour counter', 'duration', { models: MC601_LIST, diagnostic: true }),
  r(0x00df, 'volumeHighRes402', 'High-resolution volume (402)', 'volume', { models: ['402'] }),
  r(0x00e5, 'autoIntT1', 'T1 average, last auto-integration', 'temperature', { models: ['302'] }),
  r(0x00e6, 'autoIntT2', 'T2 average, last auto-integration', 'temperature', { models: ['302'] }),
  r(0x00ea, 'litresPerPulseA', 'Litres per pulse, input A', 'number', { models: MC601_LIST }),
  r(0x00eb, 'litresPerPulseB', 'Litres per pulse, input B', 'number', { models: MC601_LIST }),
  r(0x00ef, 'volumeHighRes', 'High-resolution volume V1', 'volume', { models: ['302', '403'] }),
  r(0x00f3, 'volumeReverse', 'Reverse volume', 'volume', { models: ['21'] }),
  r(0x010a, 'energyHighRes', 'High-resolution heat energy E1', 'energy', {
    models: ['302', '403', '603'],
    notes: 'Wraps (most significant digits truncated): not a total. Do not use it for the Energy dashboard.',
  }),
  r(0x010b, 'coolingEnergyHighRes', 'High-resolution cooling energy E3', 'energy', { models: ['302'] }),
  r(0x0246, 'batteryDaysLeft', 'Battery days left', 'timeLeft', { models: ['flowIQ'], diagnostic: true }),
  r(0x03e9, 'serialNo', 'Serial number', 'number', { models: [...COMMON, '382'], diagnostic: true }),
  r(0x03ea, 'meterClock', 'Meter clock', 'time', { models: ['302', '403', '601'], diagnostic: true }),
  r(0x03eb, 'meterDate', 'Meter date', 'date', { models: ['302', '601', '382'], diagnostic: true }),
  r(0x03ed, 'softwareEdition', 'Software edition', 'number', { models: ['302', '601'], diagnostic: true }),
  r(0x03f2, 'customerNoLow', 'Customer number (low 8 digits)', 'number', { models: ['601', '382'], diagnostic: true }),
];

/**
 * Registers named by one public logger reader and the 603/303 technical descriptions
 * (docs/registers.md#603-and-303): one source each, so each says so.
 */
const GEN_2016: readonly ModelTag[] = ['303', '403', '603', '803'];
const ONE_SOURCE = 'one public logger reader and the 603/303 technical descriptions; not seen on a meter here';
const g = (id: number, key: string, label: string, quantity: Quantity, extra: Partial<RegisterInfo> = {}) =>
  r(id, key, label, quantity, { models: GEN_2016, source: ONE_SOURCE, ...extra });
const LATER: readonly RegisterInfo[] = [
  g(178, 'differentialEnergy', 'Differential energy dE', 'energy'),
  g(179, 'controlEnergyCE', 'Control energy cE', 'energy'),
  g(180, 'differentialVolume', 'Differential volume dV', 'volume'),
  g(181, 'controlVolume', 'Control volume cV', 'volume'),
  g(222, 'configChanges', 'Configuration changes', 'counter', { diagnostic: true }),
  g(224, 'inputA2', 'Pulse input A2', 'number'),
  g(225, 'inputB2', 'Pulse input B2', 'number'),
  g(259, 'nominalFlow', 'Nominal flow qp', 'flow', { diagnostic: true }),
  g(346, 'moduleRevision', 'Module software revision', 'number', { diagnostic: true }),
  g(347, 'customerNo', 'Customer number', 'number', { diagnostic: true }),
  g(355, 'copYear', 'COP of the year', 'number'),
  g(362, 'tariff4', 'Tariff register TA4', 'energy'),
  g(364, 'heatEnergyA1', 'Heat energy A1 (discount, t2 < t5)', 'energy'),
  g(365, 'heatEnergyA2', 'Heat energy A2 (surcharge, t2 > t5)', 'energy'),
  g(366, 't5Limit', 'Limit t5 for A1/A2', 'temperature', { diagnostic: true }),
  g(367, 'copMonth', 'COP of the month', 'number'),
  g(368, 'configNo4', 'Configuration number 4', 'number', { diagnostic: true }),
  g(371, 'copNow', 'COP now', 'number'),
  g(372, 'powerInputB1', 'Power, input B1', 'power'),
  g(379, 'dayAverageT1', 'Time-averaged T1 of the day', 'temperature'),
  g(380, 'dayAverageT2', 'Time-averaged T2 of the day', 'temperature'),
  g(381, 'hourAverageT1', 'Time-averaged T1 of the hour', 'temperature'),
  g(382, 'hourAverageT2', 'Time-averaged T2 of the hour', 'temperature'),
  g(383, 'yearMaxFlowTime', 'Time of the year’s maximum flow', 'time'),
  g(385, 'yearMaxPowerTime', 'Time of the year’s maximum power', 'time'),
  g(387, 'monthMaxFlowTime', 'Time of the month’s maximum flow', 'time'),
  g(389, 'monthMaxPowerTime', 'Time of the month’s maximum power', 'time'),
  g(398, 'temp1Tenths', 'T1, one decimal', 'temperature'),
  g(399, 'temp2Tenths', 'T2, one decimal', 'temperature'),
  g(400, 'tempDiffTenths', 'T1 − T2, one decimal', 'temperatureDifference'),
  g(404, 'meterType', 'Meter type', 'number', { diagnostic: true }),
  g(473, 'energyE10', 'Energy E10', 'energy'),
  g(474, 'energyE11', 'Energy E11', 'energy'),
  g(477, 'dayAverageT3', 'T3 average of the day', 'temperature'),
  g(478, 'hourAverageT3', 'T3 average of the hour', 'temperature'),
  g(505, 'dayAverageP1', 'P1 average of the day', 'pressure'),
  g(506, 'dayAverageP2', 'P2 average of the day', 'pressure'),
  g(507, 'hourAverageP1', 'P1 average of the hour', 'pressure'),
  g(508, 'hourAverageP2', 'P2 average of the hour', 'pressure'),
  g(675, 'wmbusInterval', 'Wireless M-Bus interval', 'duration', { models: ['303'], diagnostic: true }),
  g(1032, 'operationMode', 'Operation mode', 'number', { diagnostic: true }),
];
// Stryker restore all

export const REGISTERS: readonly RegisterInfo[] = [...SEED, ...EXTRA, ...LATER];

/** The reference project's parameter names in its order (its config.yaml `kamstrup.parameters`). */
export const SEED_PARAMETERS: readonly string[] = SEED.map((s) => s.seedName!);

const BY_ID = new Map(REGISTERS.map((x) => [x.id, x]));
const BY_KEY = new Map<string, RegisterInfo>(
  REGISTERS.flatMap((x) =>
    x.seedName && x.seedName !== x.key
      ? [
          [x.key, x],
          [x.seedName, x],
        ]
      : [[x.key, x]],
  ),
);

export function registerById(id: number): RegisterInfo | undefined {
  return BY_ID.get(id);
}

/**
 * What the catalogue says to the person, by id (src/kmp/words.ts): every register's label
 * (`kmp.register.60.label`, made from the table above), the label of one it does not know, and why
 * a register typed in is not one.
 */
export const REGISTER_SENTENCES: Sentences = {
  ...Object.fromEntries(REGISTERS.map((x) => [`kmp.register.${x.id}.label`, x.label])),
  'kmp.register.unknown': 'Register {id}',
  'kmp.register-ref.unknown': '"{text}" is not a register name, decimal id or 0x hex id',
  'kmp.register-ref.range': 'register "{text}" is outside 0..65535',
};

/** A register's label as words: the catalogue's name where it has one, else "Register 1234". */
export function registerLabelWords(id: number): Words {
  return BY_ID.has(id)
    ? words(REGISTER_SENTENCES, `kmp.register.${id}.label`)
    : words(REGISTER_SENTENCES, 'kmp.register.unknown', { id: String(id) });
}

/** By key or the reference project's name, exactly (the seed's names are case-sensitive). */
export function registerByKey(key: string): RegisterInfo | undefined {
  return BY_KEY.get(key);
}

/** A register named by key, seed name, decimal id ("60") or hex ("0x3C"). */
export function parseRegisterRef(text: string): number {
  const t = text.trim();
  const known = registerByKey(t);
  if (known) return known.id;
  const id = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t.slice(2), 16) : /^\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isInteger(id))
    throw new KmpError('argument', words(REGISTER_SENTENCES, 'kmp.register-ref.unknown', { text }));
  if (id < 0 || id > 0xffff)
    throw new KmpError('argument', words(REGISTER_SENTENCES, 'kmp.register-ref.range', { text }));
  return id;
}

/** Read by default: the live values plus info code, info event counter, hours and serial. */
// Stryker disable all: static table data, not logic (see stryker-equivalents.md)
export const DEFAULT_LIVE_REGISTERS: readonly number[] = [
  0x3c, 0x44, 0x50, 0x4a, 0x56, 0x57, 0x59, 0x63, 0x71, 0x3ec, 0x3e9,
];
// Stryker restore all

/** What a register scan asks for: every catalogue id, once, common ones first. */
export const SCAN_CANDIDATES: readonly number[] = [...new Set(REGISTERS.map((x) => x.id))];
