import { KmpError } from './errors.ts';
import { UNIT_DATE_TIME_DST, dateTimeDstBytes, decodeDateTimeDst, formatDateTimeDst } from './date-time-dst.ts';

/**
 * KMP unit codes 0..64, the table every public implementation shares. Peers list 21 and 22
 * both as kW and 25 and 26 both as kvar; the W, kW, MW, GW and var, kvar… sequences show that
 * 21 is W and 25 is var, so that is what we use. Spellings are the SI ones Home Assistant accepts.
 */
// Stryker disable all: static table data, not logic (see stryker-equivalents.md)
const UNITS: readonly string[] = [
  '',
  'Wh',
  'kWh',
  'MWh',
  'GWh',
  'J',
  'kJ',
  'MJ',
  'GJ',
  'cal',
  'kcal',
  'Mcal',
  'Gcal',
  'varh',
  'kvarh',
  'Mvarh',
  'Gvarh',
  'VAh',
  'kVAh',
  'MVAh',
  'GVAh',
  'W',
  'kW',
  'MW',
  'GW',
  'var',
  'kvar',
  'Mvar',
  'Gvar',
  'VA',
  'kVA',
  'MVA',
  'GVA',
  'V',
  'A',
  'kV',
  'kA',
  '°C',
  'K',
  'l',
  'm³',
  'l/h',
  'm³/h',
  'm³×°C',
  'ton',
  'ton/h',
  'h',
  'hh:mm:ss',
  'yy:mm:dd',
  'yyyy:mm:dd',
  'mm:dd',
  '',
  'bar',
  'RTC',
  'ASCII',
  'm³ ×10',
  'ton ×10',
  'GJ ×10',
  'min',
  'bitfield',
  's',
  'ms',
  'days',
  'RTC-Q',
  'datetime',
];
// Stryker restore all

/**
 * Codes beyond the shared table that meters are known to send: 79 is register 348's date and time
 * with daylight saving, seen in MULTICAL 603 logger rows (docs/loggers.md#register-348); 85 to 90
 * are named by one public logger reader and the 603/303 technical descriptions (docs/registers.md).
 */
const LATER_UNITS: ReadonlyMap<number, string> = new Map([
  [UNIT_DATE_TIME_DST, 'date-time (DST)'],
  [0x55, '%RH'],
  [0x56, '%O₂'],
  [0x57, 'm/s'],
  [0x58, 'kJ/kg'],
  [0x59, 'pH'],
  [0x5a, 'g/kg'],
]);

/** Unit codes whose value is a packed date or time rather than a quantity. */
export const UNIT_TIME = 47;
export const UNIT_DATE_YYMMDD = 48;
export const UNIT_DATE_YYYYMMDD = 49;
export const UNIT_DATE_MMDD = 50;

/** The unit text for a code; an unknown code is shown, never hidden. */
export function unitName(code: number): string {
  return code >= 0 && code < UNITS.length ? UNITS[code]! : (LATER_UNITS.get(code) ?? `unit ${code}`);
}

export function isKnownUnit(code: number): boolean {
  return Number.isInteger(code) && ((code >= 0 && code < UNITS.length) || LATER_UNITS.has(code));
}

/**
 * Formats values of the date/time units (47–50, and 79 the way Kamstrup's software shows it) as
 * text; undefined for other units and for a unit-79 value that is not a date-time.
 */
export function formatDateTimeValue(unitCode: number, decimal: string): string | undefined {
  if (!/^\d+$/.test(decimal)) return undefined;
  if (unitCode === UNIT_DATE_TIME_DST) return formatUnit79(decimal);
  const two = (s: string) => s.match(/../g)!;
  switch (unitCode) {
    case UNIT_TIME: {
      const [h, m, s] = two(decimal.padStart(6, '0'));
      return `${h}:${m}:${s}`;
    }
    case UNIT_DATE_YYMMDD: {
      const [y, mo, d] = two(decimal.padStart(6, '0'));
      return `20${y}-${mo}-${d}`;
    }
    case UNIT_DATE_YYYYMMDD: {
      const t = decimal.padStart(8, '0');
      return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}`;
    }
    case UNIT_DATE_MMDD: {
      const [mo, d] = two(decimal.padStart(4, '0'));
      return `${mo}-${d}`;
    }
    default:
      return undefined;
  }
}

function formatUnit79(decimal: string): string | undefined {
  const bytes = dateTimeDstBytes(decimal);
  if (!bytes) return undefined;
  try {
    const value = decodeDateTimeDst(bytes);
    return value ? formatDateTimeDst(value) : 'no time (empty logger)';
  } catch (e) {
    if (e instanceof KmpError) return undefined;
    throw e;
  }
}
