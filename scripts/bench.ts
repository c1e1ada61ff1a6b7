/** `npm run bench`: speed and size figures, reported, never asserted as timings. */
import { availableParallelism, cpus, platform, totalmem } from 'node:os';
import { benchBundleSize } from './bench/bundle-size.ts';
import { benchFirstRead } from './bench/first-read.ts';
import { benchHaImport } from './bench/ha-import.ts';
import { benchKmpRead } from './bench/kmp-read.ts';
import { benchLoggerDownload } from './bench/logger-download.ts';
import { benchMqtt } from './bench/mqtt.ts';
import { benchStationWeek } from './bench/station-week.ts';
import { benchStore } from './bench/store.ts';
import { benchHiddenTab } from './hidden-tab.ts';

const sections: Array<[string, () => Promise<string[]>]> = [
  ['KMP read speed', benchKmpRead],
  ['First reading after Connect', benchFirstRead],
  ['Logger download (1200 baud)', benchLoggerDownload],
  ['Bundle size', benchBundleSize],
  ['History store (Chromium IndexedDB)', benchStore],
  ['MQTT publishing (loopback, embedded broker)', benchMqtt],
  ['A simulated week of station mode (fake time)', benchStationWeek],
  ['A year of hourly history into Home Assistant (WebSocket double, loopback)', benchHaImport],
  // Minutes, not seconds: polls at the shortest interval in a hidden tab (also run on its own).
  ['Polling in a hidden tab (Chromium)', () => benchHiddenTab({ build: false })],
];

// Timings depend on the machine: say which, first.
console.log(
  `machine: ${availableParallelism()} core(s) (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, ${platform()}`,
);
for (const [title, run] of sections) {
  console.log(`\n== ${title} ==`);
  for (const line of await run()) console.log(line);
}
