/** `npm run bench`: speed and size figures, reported, never asserted as timings. */
import { benchBundleSize } from './bench/bundle-size.ts';
import { benchKmpRead } from './bench/kmp-read.ts';

const sections: Array<[string, () => Promise<string[]>]> = [
  ['KMP read speed', benchKmpRead],
  ['Bundle size', benchBundleSize],
];

for (const [title, run] of sections) {
  console.log(`\n== ${title} ==`);
  for (const line of await run()) console.log(line);
}
