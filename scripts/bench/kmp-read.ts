/**
 * The read-speed benchmark: the reference project's 31 parameters from the virtual meter at
 * real 1200-baud 8N2 timing, batched (8 registers a request) and one register per request,
 * as the reference project reads. Reports figures; asserts nothing about timings.
 */
import { SEED_PARAMETERS, parseRegisterRef } from '../../src/kmp/index.ts';
import { KmpClient } from '../../src/link/index.ts';
import { createVirtualMeter } from '../../src/sim/index.ts';
import { BAUD, TURNAROUND_MS, wireFigures } from './wire.ts';

export interface ReadFigures {
  mode: string;
  roundTrips: number;
  bytesTx: number;
  bytesRx: number;
  wallMs: number;
  boundMs: number;
  ratio: number;
}

async function measure(mode: 'batched' | 'single', ids: number[], echo: boolean): Promise<ReadFigures> {
  const meter = createVirtualMeter({ model: '403', timing: 'realtime', turnaroundMs: TURNAROUND_MS, echo, seed: 7 });
  await meter.port.open({ baudRate: BAUD, dataBits: 8, parity: 'none', stopBits: 2 });
  const client = new KmpClient(meter.port);
  const start = performance.now();
  let values = 0;
  if (mode === 'batched') {
    values = (await client.readRegisters(ids)).values.length;
  } else {
    for (const id of ids) values += (await client.readRegisters([id])).values.length;
  }
  const wallMs = performance.now() - start;
  await client.close();
  if (values !== ids.length) throw new Error(`${mode}: read ${values} of ${ids.length} registers`);
  const { bytesTx, bytesRx, requests: roundTrips, boundMs } = wireFigures(client.log.all());
  return {
    mode: `${mode}${echo ? ' + echo' : ''}`,
    roundTrips,
    bytesTx,
    bytesRx,
    wallMs,
    boundMs,
    ratio: wallMs / boundMs,
  };
}

export async function benchKmpRead(): Promise<string[]> {
  const ids = SEED_PARAMETERS.map(parseRegisterRef);
  const rows = [
    await measure('batched', ids, false),
    await measure('batched', ids, true),
    await measure('single', ids, false),
  ];
  const batched = rows[0]!;
  const single = rows[2]!;
  const lines = [
    `KMP read of the reference project's ${ids.length} parameters, virtual MULTICAL 403 at ${BAUD} baud 8N2, ${TURNAROUND_MS} ms meter turnaround`,
    pad(['mode', 'round trips', 'bytes tx', 'bytes rx', 'wall ms', 'bound ms', 'wall/bound']),
    ...rows.map((r) =>
      pad([r.mode, r.roundTrips, r.bytesTx, r.bytesRx, r.wallMs.toFixed(0), r.boundMs.toFixed(0), r.ratio.toFixed(3)]),
    ),
    `batched vs one register per request: ${(single.wallMs / batched.wallMs).toFixed(2)}× faster`,
    `target (at most ${Math.ceil(ids.length / 8)} round trips, within 10% of the bound, more than 2× faster than single): ` +
      (batched.roundTrips <= Math.ceil(ids.length / 8) && batched.ratio <= 1.1 && single.wallMs / batched.wallMs > 2
        ? 'met'
        : 'NOT met'),
  ];
  return lines;
}

function pad(cells: Array<string | number>): string {
  return cells
    .map((c, i) =>
      String(c)
        .padStart(i === 0 ? 0 : 12)
        .padEnd(i === 0 ? 16 : 0),
    )
    .join('');
}
