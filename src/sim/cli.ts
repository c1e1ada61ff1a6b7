/**
 * The virtual meter on the command line. With --stdio it speaks KMP over standard input and
 * output, so any other client can use it through a pseudo-terminal:
 *   socat pty,raw,echo=0,link=/tmp/ttyKMP EXEC:"npm run -s sim -- --stdio"
 */
import { parseArgs } from 'node:util';
import { LOGGER_TYPE, formatDateTimeValue, parseRegisterRef, registerById, unitName } from '../kmp/index.ts';
import { createVirtualMeter } from './index.ts';
import type { EnergyUnit, MeterModel } from './meter-state.ts';

const USAGE = `Usage: npm run sim -- [--stdio | --print-values] [options]
  --stdio              serve the meter on stdin/stdout (raw bytes)
  --print-values       print the registers it will answer, then exit
  --print-logger L     print a logger's entries, newest first, then exit
                       (L: info, year, month, day, hour)
  --registers A,B,…    with --print-logger: the registers to show (names or ids;
                       default: all the logger records)
  --model 402|403|603  meter model (default 403)
  --energy-unit GJ|MWh|kWh   unit of the energy registers (default GJ)
  --echo               return every received byte, like many IR heads
  --seed N             seed for the values (default 1)
  --frozen             values never change
  --info-code N        info code to report (sensor flags change readings as on a real meter)
  --realtime           pace replies like a 1200-baud line
  --help               this text`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: {
      stdio: { type: 'boolean' },
      'print-values': { type: 'boolean' },
      'print-logger': { type: 'string' },
      registers: { type: 'string' },
      model: { type: 'string', default: '403' },
      'energy-unit': { type: 'string', default: 'GJ' },
      echo: { type: 'boolean' },
      seed: { type: 'string', default: '1' },
      frozen: { type: 'boolean' },
      'info-code': { type: 'string', default: '0' },
      realtime: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  }).values;
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}

if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (!['402', '403', '603', '601', '801'].includes(args.model))
  fail(`--model must be 402, 403, 603, 601 or 801, not "${args.model}"`);
if (!['GJ', 'MWh', 'kWh'].includes(args['energy-unit']))
  fail(`--energy-unit must be GJ, MWh or kWh, not "${args['energy-unit']}"`);
const seed = Number(args.seed);
if (!Number.isInteger(seed)) fail(`--seed must be a whole number, not "${args.seed}"`);
const infoCode = Number(args['info-code']);
if (!Number.isInteger(infoCode) || infoCode < 0 || infoCode > 0xffffffff)
  fail(`--info-code must be a whole number from 0 to 4294967295, not "${args['info-code']}"`);
if (!args.stdio && !args['print-values'] && args['print-logger'] === undefined)
  fail('say --stdio, --print-values or --print-logger');
const LOGGER_NAMES: Record<string, number> = {
  info: LOGGER_TYPE.info,
  year: LOGGER_TYPE.year,
  month: LOGGER_TYPE.month,
  day: LOGGER_TYPE.day,
  hour: LOGGER_TYPE.hour,
};
const printLogger = args['print-logger'];
if (printLogger !== undefined && LOGGER_NAMES[printLogger] === undefined)
  fail(`--print-logger must be one of ${Object.keys(LOGGER_NAMES).join(', ')}, not "${printLogger}"`);
let shownRegisters: number[] | undefined;
try {
  shownRegisters = args.registers?.split(',').map(parseRegisterRef);
} catch (e) {
  fail(`--registers: ${e instanceof Error ? e.message : String(e)}`);
}

const meter = createVirtualMeter({
  model: args.model as MeterModel,
  energyUnit: args['energy-unit'] as EnergyUnit,
  echo: args.echo ?? false,
  seed,
  frozen: args.frozen ?? false,
  infoCode,
  timing: args.realtime ? 'realtime' : 'instant',
});

if (args['print-values']) {
  process.stdout.write(`Virtual MULTICAL ${meter.model}, serial ${meter.serial}\n`);
  for (const r of meter.registerValues()) {
    const name = registerById(r.id)?.key ?? '';
    process.stdout.write(
      `${String(r.id).padStart(5)}  ${name.padEnd(16)} ${r.decimal.padStart(14)} ${unitName(r.unitCode)}\n`,
    );
  }
  process.exit(0);
}

if (printLogger !== undefined) {
  const type = LOGGER_NAMES[printLogger]!;
  const spec = meter.loggers.find((l) => l.type === type);
  if (!spec) fail(`the virtual MULTICAL ${meter.model} has no ${printLogger} logger (it does not answer 0xB8)`);
  const entries = meter.loggerEntries(type, shownRegisters);
  process.stdout.write(
    `Virtual MULTICAL ${meter.model}, serial ${meter.serial}: ${printLogger} logger (type ${type}), ${entries.length} of ${spec.depth} entries\n`,
  );
  for (const e of entries) {
    const cells = e.values.map((v) => {
      const text = formatDateTimeValue(v.unitCode, v.decimal) ?? `${v.decimal} ${unitName(v.unitCode)}`.trim();
      return `${registerById(v.id)?.key ?? v.id}=${text}`;
    });
    process.stdout.write(`${String(e.id).padStart(6)}  ${e.time}  ${cells.join('  ')}\n`);
  }
  process.exit(0);
}

await meter.port.open({ baudRate: 1200, dataBits: 8, stopBits: 2, parity: 'none' });
const writer = meter.port.writable!.getWriter();
const reader = meter.port.readable!.getReader();
process.stdin.on('data', (chunk: Buffer) => void writer.write(new Uint8Array(chunk)));
// Input closed: let a reply still on its way go out first (a realtime reply takes up to a second).
process.stdin.on('end', () => setTimeout(() => process.exit(0), args.realtime ? 1500 : 100));
process.stderr.write(`virtual MULTICAL ${meter.model} (serial ${meter.serial}) on stdio\n`);
for (;;) {
  const { value, done } = await reader.read();
  if (done) break;
  process.stdout.write(value);
}
