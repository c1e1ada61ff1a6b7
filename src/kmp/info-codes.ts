import { KmpError } from './errors.ts';
import { listWords } from './list-words.ts';
import { fill, words, type Sentences, type Words } from './words.ts';

export type InfoTable = '403' | '603' | '602';

export interface InfoFlag {
  /** The bit's value, e.g. 8 for t1 above range. */
  bit: number;
  text: string;
  /** What to check. */
  hint: string;
  /** How the meter's display shows it, e.g. 'd2=1' (digit 2 shows 1). */
  display?: string;
  /** `text` as words, for the UI to say in the reader's language. */
  textWords: Words;
  /** `hint` as words. */
  hintWords: Words;
}

export interface DecodedInfoCode {
  raw: number;
  hex: string;
  table: InfoTable | undefined;
  /** False where the table is a guess for this model (402) or no table is known. */
  verified: boolean;
  flags: InfoFlag[];
  /** Set bits with no meaning in the table: shown, never hidden. */
  unknownBits: number[];
  /** In English, as MQTT publishes it; `summaryWords` for the page. */
  summary: string;
  summaryWords: Words;
}

type Row = [bit: number, text: string, hint: string, display?: string];

// Stryker disable all: static table data, not logic (see stryker-equivalents.md)
const SENSOR_HIGH =
  'the meter reports 185.00 °C and stops counting energy; check that the sensor cable is connected and undamaged';
const SENSOR_LOW = 'the meter reports 0.00 °C and stops counting energy; check the sensor cable for a short circuit';

/** MULTICAL 403 technical description §7.7.1 (bit format on serial communication, display digits). */
const T403: Row[] = [
  [0x0001, 'No voltage supply', 'The supply was interrupted (appears in the info log).', 'd1=1'],
  [0x0002, 'Low battery', 'Have the battery replaced by the meter’s owner (utility).', 'd1=2'],
  [0x0004, 'External alarm', 'An alarm was raised from outside, e.g. over KMP.', 'd1=9'],
  [0x0008, 't1 above measuring range or disconnected', `Flow sensor t1: ${SENSOR_HIGH}.`, 'd2=1'],
  [0x0010, 't2 above measuring range or disconnected', `Return sensor t2: ${SENSOR_HIGH}.`, 'd3=1'],
  [0x0020, 't1 below measuring range or short-circuited', `Flow sensor t1: ${SENSOR_LOW}.`, 'd2=2'],
  [0x0040, 't2 below measuring range or short-circuited', `Return sensor t2: ${SENSOR_LOW}.`, 'd3=2'],
  [
    0x0080,
    'Invalid temperature difference (t1−t2)',
    'The sensors may be swapped between flow and return pipe.',
    'd2=9, d3=9',
  ],
  [0x0100, 'Air in flow sensor V1', 'Vent the system; air gives a weak ultrasonic signal and flow reads 0.', 'd5=3'],
  [0x0200, 'Wrong flow direction in V1', 'The flow sensor may be mounted the wrong way round.', 'd5=4'],
  [
    0x0800,
    'Flow above qs for more than an hour',
    'The flow exceeds the sensor’s rating; the meter may be undersized.',
    'd5=6',
  ],
  [
    0x1000,
    'Leakage in the system (input A)',
    'A water meter on pulse input A reports constant flow: check for leaks.',
    'd7=8',
  ],
  [
    0x2000,
    'Leakage in the system (input B)',
    'A water meter on pulse input B reports constant flow: check for leaks.',
    'd8=8',
  ],
  [0x4000, 'External alarm on input A', 'Check what is connected to pulse input A.', 'd7=9'],
  [0x8000, 'External alarm on input B', 'Check what is connected to pulse input B.', 'd8=9'],
];

/** MULTICAL 603 TD §7.7.2 (the 303/803 share it): the 403's low 16 bits plus V2, t3 and leak/burst bits. */
const T603: Row[] = [
  ...T403,
  [0x00010000, 'V1 communication error', 'The calculator cannot read flow sensor V1: check its cable.', 'd5=1'],
  [0x00020000, 'V1 wrong pulse figure', 'The flow sensor does not match the calculator’s configuration.', 'd5=2'],
  [0x00040000, 'Leakage in the system (input A2)', 'Check for leaks on the meter connected to input A2.'],
  [0x00080000, 'Leakage in the system (input B2)', 'Check for leaks on the meter connected to input B2.'],
  [0x00100000, 't3 above measuring range or disconnected', 'Check temperature sensor t3 and its cable.', 'd4=1'],
  [0x00200000, 't3 below measuring range or short-circuited', 'Check temperature sensor t3 and its cable.', 'd4=2'],
  [0x00400000, 'V2 communication error', 'The calculator cannot read flow sensor V2: check its cable.', 'd6=1'],
  [0x00800000, 'V2 wrong pulse figure', 'Flow sensor V2 does not match the configuration.', 'd6=2'],
  [0x01000000, 'Air in flow sensor V2', 'Vent the system.', 'd6=3'],
  [0x02000000, 'Wrong flow direction in V2', 'Flow sensor V2 may be mounted the wrong way round.', 'd6=4'],
  [0x08000000, 'V2 flow above qs for more than an hour', 'The flow exceeds V2’s rating.', 'd6=6'],
  [0x10000000, 'Burst: water loss (flow V1 > V2)', 'Much more water flows in than out: look for a burst pipe.', 'd5=7'],
  [
    0x20000000,
    'Burst: water penetration (flow V1 < V2)',
    'More water flows out than in: check the installation.',
    'd6=7',
  ],
  [0x40000000, 'Leakage: water loss (M1 > M2)', 'Slowly more mass in than out: look for a leak.', 'd5=8'],
  [0x80000000, 'Leakage: water penetration (M1 < M2)', 'Slowly more mass out than in: check the installation.', 'd6=8'],
];

/**
 * MULTICAL 601/602 TD §6.11.2: an older scheme whose values mean other things than on the 403
 * (256 is "leak in heating system" here but "air in V1" there), so the table must follow the model.
 */
const T602: Row[] = [
  [1, 'Supply voltage cut off', 'The supply was interrupted.'],
  [4, 't2 outside measuring range', 'Check return sensor t2 and its cable.'],
  [8, 't1 outside measuring range', 'Check flow sensor t1 and its cable.'],
  [16, 'V1 data communication error', 'Check the cable to flow sensor V1.'],
  [32, 't3 outside measuring range', 'Check sensor t3 and its cable.'],
  [64, 'Leak in the cold-water system', 'Check the cold-water installation for leaks.'],
  [128, 'V2 wrong pulse figure', 'Flow sensor V2 does not match the configuration.'],
  [256, 'Leak in the heating system', 'Check the heating installation for leaks.'],
  [512, 'Burst in the heating system', 'Look for a burst pipe; close the supply if needed.'],
  [1024, 'V2 data communication error', 'Check the cable to flow sensor V2.'],
  [2048, 'V1 wrong pulse figure', 'Flow sensor V1 does not match the configuration.'],
  [4096, 'V1 signal too low (air)', 'Vent the system.'],
  [8192, 'V2 signal too low (air)', 'Vent the system.'],
  [16384, 'V1 wrong flow direction', 'Flow sensor V1 may be mounted the wrong way round.'],
  [32768, 'V2 wrong flow direction', 'Flow sensor V2 may be mounted the wrong way round.'],
];
// Stryker restore all

const TABLES: Record<InfoTable, Row[]> = { '403': T403, '603': T603, '602': T602 };

/**
 * The table each row is worded under: its first. The 603 shares the 403's rows, so their words are
 * the 403's (`kmp.info.403.8.text`), translated once.
 */
const HOME = new Map<Row, InfoTable>();
for (const [table, rows] of Object.entries(TABLES) as [InfoTable, Row[]][])
  for (const row of rows) if (!HOME.has(row)) HOME.set(row, table);

const rowId = (row: Row) => `kmp.info.${HOME.get(row)}.${row[0]}`;

/**
 * What the info-code tables say to the person, by id (src/kmp/words.ts), made from the tables:
 * each row's text and hint (`kmp.info.403.8.text`, the bit in decimal) and the summaries.
 * Loaded with the tables (src/app/info-code-tables.ts), not with the first screen.
 */
export const INFO_CODE_SENTENCES: Sentences = {
  ...Object.fromEntries(
    [...HOME.keys()].flatMap((row) => [
      [`${rowId(row)}.text`, row[1]],
      [`${rowId(row)}.hint`, row[2]],
    ]),
  ),
  'kmp.info.summary.clear': 'No irregularities.',
  'kmp.info.summary.no-table':
    '{count} bit(s) set; no info-code table is known for this model, so they are listed raw.',
  'kmp.info.summary.unnamed': '{count} bit(s) set that the info-code table does not name.',
  // `flags` is the list of the set flags' texts, joined by semicolons.
  'kmp.info.summary.flags': '{flags}.',
  'kmp.info.summary.flags-unknown': '{flags}; plus {count} unknown bit(s).',
  'kmp.info.summary.unverified': '{summary} (Meanings from the MULTICAL 403 table: not verified for this model.)',
};

/** A flag's text (or hint) in `table` as words; a bit the table does not name has none. */
export function infoFlagWords(
  table: InfoTable,
  flag: number | Pick<InfoFlag, 'bit'>,
  part: 'text' | 'hint' = 'text',
): Words | undefined {
  const bit = typeof flag === 'number' ? flag : flag.bit;
  const row = TABLES[table].find(([b]) => b === bit);
  return row ? words(INFO_CODE_SENTENCES, `${rowId(row)}.${part}`) : undefined;
}

/** Which table a model uses, and whether that is documented for it or a labelled guess. */
function tableFor(model: string | undefined): { table: InfoTable | undefined; verified: boolean } {
  const m = model?.match(/\d{3}/)?.[0];
  if (m === '403') return { table: '403', verified: true };
  if (m === '603' || m === '803' || m === '303') return { table: '603', verified: true };
  if (m === '602' || m === '601') return { table: '602', verified: true };
  // No public 402 table: the 403's is the closest relative, shown as a guess.
  if (m === '402') return { table: '403', verified: false };
  return { table: undefined, verified: false };
}

function checkRaw(raw: number): void {
  if (!Number.isInteger(raw) || raw < 0 || raw > 0xffffffff)
    throw new KmpError('argument', `info code ${raw} is not a 32-bit unsigned integer`);
}

function setBits(raw: number): number[] {
  const bits: number[] = [];
  for (let i = 0; i < 32; i++) if (Math.floor(raw / 2 ** i) % 2 === 1) bits.push(2 ** i);
  return bits;
}

/** The info code (register 99) in plain words for the meter's model. */
export function decodeInfoCode(raw: number, model?: string): DecodedInfoCode {
  checkRaw(raw);
  const { table, verified } = tableFor(model);
  const rows = table ? TABLES[table] : [];
  const flags: InfoFlag[] = [];
  const unknownBits: number[] = [];
  for (const bit of setBits(raw)) {
    const row = rows.find(([b]) => b === bit);
    if (row)
      flags.push({
        bit,
        text: row[1],
        hint: row[2],
        ...(row[3] ? { display: row[3] } : {}),
        textWords: words(INFO_CODE_SENTENCES, `${rowId(row)}.text`),
        hintWords: words(INFO_CODE_SENTENCES, `${rowId(row)}.hint`),
      });
    else unknownBits.push(bit);
  }
  const hex = `0x${raw.toString(16).toUpperCase().padStart(8, '0')}`;
  const say = (id: string, params?: Parameters<typeof words>[2]) => words(INFO_CODE_SENTENCES, id, params);
  const count = unknownBits.length;
  const [first, ...rest] = flags.map((f) => f.textWords);
  let summaryWords: Words;
  if (raw === 0) summaryWords = say('kmp.info.summary.clear');
  else if (!table) summaryWords = say('kmp.info.summary.no-table', { count });
  else if (!first) summaryWords = say('kmp.info.summary.unnamed', { count });
  else {
    const list = listWords([first, ...rest], 'semicolon');
    summaryWords = count
      ? say('kmp.info.summary.flags-unknown', { flags: list, count })
      : say('kmp.info.summary.flags', { flags: list });
  }
  if (raw !== 0 && table && !verified) summaryWords = say('kmp.info.summary.unverified', { summary: summaryWords });
  return {
    raw,
    hex,
    table,
    verified: raw === 0 ? verified || table !== undefined : verified,
    flags,
    unknownBits,
    summary: fill(summaryWords),
    summaryWords,
  };
}

/** The 8-digit form the 403/603 display shows (digits: info, t1, t2, t3, V1, V2, in A, in B). */
export function infoCodeDisplay(raw: number, model?: string): string | undefined {
  checkRaw(raw);
  const { table } = tableFor(model);
  if (table !== '403' && table !== '603') return undefined;
  const digits = [0, 0, 0, 0, 0, 0, 0, 0];
  for (const f of decodeInfoCode(raw, model).flags) {
    for (const part of f.display?.split(', ') ?? []) {
      const [, d, v] = part.match(/^d(\d)=(\d)$/) ?? [];
      // Where two conditions share a digit the larger value is shown, as the meter does for 9 (invalid difference).
      if (d && v) digits[Number(d) - 1] = Math.max(digits[Number(d) - 1]!, Number(v));
    }
  }
  return digits.join('');
}
