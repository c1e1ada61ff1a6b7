import {
  CID,
  decodeEventStatusReply,
  decodeModuleLogReply,
  decodeModuleLogRequest,
  moduleLogInfoWords,
  type ModuleLogRequest,
} from '../kmp/index.ts';
import { describeFramesOf } from './wire-log.ts';

const records = (n: number) => (n === 1 ? '1 record' : `${n} records`);

function describeRequest(r: ModuleLogRequest): string {
  const from =
    r.cid === CID.GetLogIdPresent
      ? `from id ${r.fromId}`
      : r.cid === CID.GetLogTimePast
        ? `back from ${r.time}, offset ${r.offset}`
        : r.cid === CID.GetLogTimePresent
          ? `from ${r.time}`
          : 'from the read pointer';
  return `log ${r.log} ${from}, ${records(r.records)} of ${r.registers.join(', ')}, MaxL ${r.maxLength}`;
}

function describeReply(data: Uint8Array): string {
  const r = decodeModuleLogReply(data);
  const ids = r.records.length ? `${records(r.records.length)} from id ${r.records[0]!.id}` : 'no records';
  const newest = r.newestId !== undefined ? ` (newest ${r.newestId})` : '';
  return `log ${r.log}, ${ids}${newest}, ${moduleLogInfoWords(r.info)}`;
}

/** The frame log names the 601/801 logger frames once their reader has loaded (see wire-log.ts). */
for (const cid of [CID.GetLogTimePresent, CID.GetLogPastPresent, CID.GetLogIdPresent, CID.GetLogTimePast])
  describeFramesOf(cid, (direction, data) =>
    direction === 'request'
      ? describeRequest(decodeModuleLogRequest(Uint8Array.of(cid, ...data)))
      : describeReply(Uint8Array.of(cid, ...data)),
  );
describeFramesOf(CID.GetEventStatus, (direction, data) => {
  if (direction === 'request') return 'has anything new been logged?';
  const s = decodeEventStatusReply(Uint8Array.of(CID.GetEventStatus, ...data));
  return s.intervalLogUnread ? 'the interval log has records not yet read out' : 'nothing new in the interval log';
});
