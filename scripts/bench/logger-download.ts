/**
 * The logger download benchmark: the virtual MULTICAL 603's monthly logger (36 entries, 4
 * registers and the time) and daily logger (460 entries, 2 registers and the time) at real
 * 1200-baud 8N2 pacing with a 50 ms meter turnaround. Reports requests, bytes each way, wall time
 * and its ratio to the wire bound, and how many requests the meter's reply buffer allows at least.
 * The virtual 601's monthly and daily logs the same way through its logger module (A2 on 0x7F).
 * Reports figures; asserts nothing about timings.
 */
import { LOGGER_ADDRESS, LOGGER_TYPE, MODULE_LOG_MAX_APL, recordsWithin } from '../../src/kmp/index.ts';
import { KmpClient, estimateLoggerDownload } from '../../src/link/index.ts';
import { moduleLogRegisters, readModuleLog } from '../../src/link/module-log-reader.ts';
import { createVirtualMeter } from '../../src/sim/index.ts';
import { BAUD, TURNAROUND_MS, wireFigures } from './wire.ts';

interface DownloadFigures {
  name: string;
  entries: number;
  requests: number;
  fewest: number;
  estimated: number;
  bytesTx: number;
  bytesRx: number;
  wallMs: number;
  boundMs: number;
}

async function measure(name: string, type: number, registers: number[], entries: number): Promise<DownloadFigures> {
  const meter = createVirtualMeter({ model: '603', timing: 'realtime', turnaroundMs: TURNAROUND_MS, seed: 7 });
  await meter.port.open({ baudRate: BAUD, dataBits: 8, parity: 'none', stopBits: 2 });
  const client = new KmpClient(meter.port);
  const start = performance.now();
  const result = await client.readLogger(type, registers);
  const wallMs = performance.now() - start;
  await client.close();
  if (!result.complete || result.entries.length !== entries)
    throw new Error(`${name}: read ${result.entries.length} of ${entries} entries`);
  const { bytesTx, bytesRx, requests, boundMs } = wireFigures(client.log.all());
  // The configuration, then as many pages as the meter's buffer needs: rows per reply as it filled them.
  const fit = result.rowsPerReply ?? entries;
  const fewest = 1 + Math.ceil(entries / fit);
  const estimated = estimateLoggerDownload({ entries, registers: result.registers, rowsPerReply: fit }).requests;
  return { name, entries, requests, fewest, estimated, bytesTx, bytesRx, wallMs, boundMs };
}

/** The same for the virtual 601's logger module (A2 on 0x7F): one probe, then pages of what fits 128 bytes. */
async function measure601(name: string, type: number, registers: number[], entries: number): Promise<DownloadFigures> {
  const meter = createVirtualMeter({ model: '601', timing: 'realtime', turnaroundMs: TURNAROUND_MS, seed: 7 });
  await meter.port.open({ baudRate: BAUD, dataBits: 8, parity: 'none', stopBits: 2 });
  const client = new KmpClient(meter.port);
  const start = performance.now();
  const result = await readModuleLog(client, LOGGER_ADDRESS.topModule, type, registers, { maxRequests: 1000 });
  const wallMs = performance.now() - start;
  await client.close();
  if (!result.complete || result.entries.length !== entries)
    throw new Error(`${name}: read ${result.entries.length} of ${entries} entries`);
  const { bytesTx, bytesRx, requests, boundMs } = wireFigures(client.log.all());
  const fewest = 1 + Math.ceil((entries - 1) / recordsWithin(MODULE_LOG_MAX_APL, moduleLogRegisters(registers).length));
  return { name, entries, requests, fewest, estimated: fewest, bytesTx, bytesRx, wallMs, boundMs };
}

export async function benchLoggerDownload(): Promise<string[]> {
  const rows = [
    await measure('monthly', LOGGER_TYPE.month, [60, 68, 1004, 99], 36),
    await measure('daily', LOGGER_TYPE.day, [60, 68], 460),
    await measure601('601 monthly', LOGGER_TYPE.month, [60, 68], 36),
    await measure601('601 daily', LOGGER_TYPE.day, [60, 68], 460),
  ];
  const met = rows.every((r) => r.wallMs / r.boundMs <= 1.15 && r.requests <= r.fewest * 1.1);
  return [
    `Logger download from the virtual MULTICAL 603 (0xB8, 240-byte reply buffer) and 601 (A2 on 0x7F, 128-byte MaxL) at ${BAUD} baud 8N2, ${TURNAROUND_MS} ms meter turnaround`,
    pad([
      'logger',
      'entries',
      'requests',
      'fewest',
      'estimated',
      'bytes tx',
      'bytes rx',
      'wall s',
      'bound s',
      'wall/bound',
    ]),
    ...rows.map((r) =>
      pad([
        r.name,
        r.entries,
        r.requests,
        r.fewest,
        r.estimated,
        r.bytesTx,
        r.bytesRx,
        (r.wallMs / 1000).toFixed(1),
        (r.boundMs / 1000).toFixed(1),
        (r.wallMs / r.boundMs).toFixed(3),
      ]),
    ),
    `target (within 15% of the wire bound, at most 10% more requests than the buffer allows): ${met ? 'met' : 'NOT met'}`,
  ];
}

function pad(cells: Array<string | number>): string {
  return cells
    .map((c, i) =>
      String(c)
        .padStart(i === 0 ? 0 : 11)
        .padEnd(i === 0 ? 9 : 0),
    )
    .join('');
}
