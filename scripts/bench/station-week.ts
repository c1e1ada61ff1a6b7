/**
 * A simulated week of station mode (test/app/station-week.test.ts): quarter-hour polls for seven
 * days in fake time through the app layer, a real broker and the Home Assistant double, with a
 * broker outage, an unplugged head, a reload, a sleeping meter and a tab takeover on the way.
 * The test asserts the behaviour; this step prints the figures it wrote.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface WeekReport {
  days: number;
  intervalMinutes: number;
  readings: number;
  slotsChecked: number;
  lateMs: { mean: number; max: number; firstDayMean: number; lastDayMean: number };
  heapBytesPerReading: number;
  storedBytesPerReading: number;
  requests: { total: number; healthyPoll: number; faults: Array<{ fault: string; extra: number }> };
  unavailableMinutesAfterFault: Array<{ fault: string; minutes: number }>;
  samplesChecked: number;
}

export async function benchStationWeek(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kmp-week-'));
  const file = join(dir, 'week.json');
  try {
    execFileSync('npx', ['vitest', 'run', '--project', 'unit', 'test/app/station-week.test.ts'], {
      env: { ...process.env, KMP_WEEK_REPORT: file },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const r = JSON.parse(readFileSync(file, 'utf8')) as WeekReport;
    return [
      `${r.days} days at ${r.intervalMinutes} min: ${r.readings} readings; ${r.slotsChecked} slots outside faults each read once`,
      `drift (start − slot): mean ${r.lateMs.mean} ms, max ${r.lateMs.max} ms; first day ${r.lateMs.firstDayMean} ms, last day ${r.lateMs.lastDayMean} ms (fake time: the grid's own drift, not the browser's; see the hidden-tab step)`,
      `heap growth ${r.heapBytesPerReading} B per reading (Node, includes fake IndexedDB's copy of the data); stored ${r.storedBytesPerReading} B per reading (JSON of the readings)`,
      `requests: ${r.requests.total} in all, ${r.requests.healthyPoll} per healthy poll; beyond healthy polls: ${r.requests.faults.map((f) => `${f.fault} ${f.extra}`).join(', ')}`,
      `Home Assistant sampled ${r.samplesChecked} times, right each time; unavailable after: ${r.unavailableMinutesAfterFault.map((f) => `${f.fault} ${f.minutes} min`).join(', ')} (sampled every 5 min)`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
