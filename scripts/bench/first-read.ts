/**
 * The first-reading benchmark: from Connect to the first value on screen and to the whole first
 * reading (identity included), the default registers from the virtual meter at real 1200-baud
 * 8N2 timing with a 50 ms meter turnaround. The wire bound counts the bytes of the requests sent
 * up to that point and their replies, plus one turnaround each, as the read-speed bench does.
 * Reports figures; asserts nothing about timings.
 */
import { DEFAULT_LIVE_REGISTERS } from '../../src/kmp/index.ts';
import {
  IDENTITY_REGISTERS,
  KmpClient,
  MODEL_PROBE_REGISTERS,
  MeterSession,
  type WireEntry,
} from '../../src/link/index.ts';
import { createVirtualMeter, type VirtualMeter } from '../../src/sim/index.ts';
import { BAUD, TURNAROUND_MS, wireFigures } from './wire.ts';

interface FirstReadFigures {
  flow: string;
  requests: number;
  firstMs: number;
  firstBoundMs: number;
  wholeMs: number;
  wholeBoundMs: number;
}

function meterOf(model: '402' | '403' | '603'): VirtualMeter {
  return createVirtualMeter({ model, timing: 'realtime', turnaroundMs: TURNAROUND_MS, seed: 7 });
}

/** The wire bound of the exchanges in `entries` (see wire.ts). */
const boundOf = (entries: readonly WireEntry[]): number => wireFigures(entries).boundMs;

async function measureNow(model: '402' | '403' | '603'): Promise<FirstReadFigures> {
  const meter = meterOf(model);
  const session = new MeterSession();
  let firstMs: number | undefined;
  let firstBoundMs = 0;
  await session.connect(meter.port, { label: 'bench', demo: true });
  const start = performance.now();
  const stop = session.subscribe(() => {
    if (firstMs === undefined && session.firstReadProgress?.values.length) {
      firstMs = performance.now() - start;
      firstBoundMs = boundOf(session.log.all());
    }
  });
  await session.identifyAndRead(DEFAULT_LIVE_REGISTERS);
  const wholeMs = performance.now() - start;
  stop();
  const figures = {
    flow: `now, MULTICAL ${model}`,
    requests: session.requestsSent,
    firstMs: firstMs ?? wholeMs,
    firstBoundMs,
    wholeMs,
    wholeBoundMs: boundOf(session.log.all()),
  };
  await session.disconnect();
  return figures;
}

/**
 * The sequence connecting sent before identity and reading were merged into one round: identity,
 * then the reading, values drawn after the last reply.
 */
async function measureBefore(): Promise<FirstReadFigures> {
  const meter = meterOf('403');
  await meter.port.open({ baudRate: BAUD, dataBits: 8, parity: 'none', stopBits: 2 });
  const client = new KmpClient(meter.port);
  const start = performance.now();
  await client.getSerialNo();
  await client.getType();
  await client.readRegisters([...IDENTITY_REGISTERS, ...MODEL_PROBE_REGISTERS]);
  await client.readRegisters(DEFAULT_LIVE_REGISTERS);
  const wholeMs = performance.now() - start;
  const bound = boundOf(client.log.all());
  await client.close();
  return {
    flow: 'before, MULTICAL 403',
    requests: client.stats.requests,
    firstMs: wholeMs,
    firstBoundMs: bound,
    wholeMs,
    wholeBoundMs: bound,
  };
}

export async function benchFirstRead(): Promise<string[]> {
  const rows = [await measureBefore(), await measureNow('403'), await measureNow('402'), await measureNow('603')];
  return [
    `Connect to the first reading of the ${DEFAULT_LIVE_REGISTERS.length} default registers with the meter's identity, virtual meter at ${BAUD} baud 8N2, ${TURNAROUND_MS} ms meter turnaround`,
    pad(['flow', 'requests', 'first ms', 'bound ms', 'ratio', 'whole ms', 'bound ms', 'ratio']),
    ...rows.map((r) =>
      pad([
        r.flow,
        r.requests,
        r.firstMs.toFixed(0),
        r.firstBoundMs.toFixed(0),
        (r.firstMs / r.firstBoundMs).toFixed(3),
        r.wholeMs.toFixed(0),
        r.wholeBoundMs.toFixed(0),
        (r.wholeMs / r.wholeBoundMs).toFixed(3),
      ]),
    ),
    'first: the first values on screen; whole: the reading stored and published; bound: the wire time of the requests sent until then',
  ];
}

function pad(cells: Array<string | number>): string {
  return cells
    .map((c, i) =>
      String(c)
        .padStart(i === 0 ? 0 : 10)
        .padEnd(i === 0 ? 22 : 0),
    )
    .join('');
}
