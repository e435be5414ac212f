import { countsUnderClaim, latestClaimAfter, LogRecord, NO_CLAIM, parseLogRecord } from '@app/engine';
import { ProjectedService, projectOutcome } from './project-outcome';
import { ReadModelChanges } from './read-model-changes';

/**
 * How far one events partition is projected, stored with the read models in the same transaction: the next offset
 * to read and the offset of the latest claim read before it (the claim rule needs it to judge the next record).
 */
export interface PartitionPosition {
  nextOffset: number;
  latestClaim: number;
}

export const START_POSITION: PartitionPosition = { nextOffset: 0, latestClaim: NO_CLAIM };

/** One record as Kafka handed it over. */
export interface EventsRecord {
  offset: number;
  /** Kafka's timestamp (ms): the time of records written before outcomes carried `issuedAt`. */
  timestamp: number;
  value: Buffer | null;
}

export interface ProjectedBatch {
  changes: ReadModelChanges;
  position: PartitionPosition;
  /** Records read past the stored position, and how many of them counted under the claim rule. */
  read: number;
  counted: number;
  /** Offsets of records that do not parse: they cannot count (replay would refuse them), so they change nothing. */
  malformed: number[];
}

/**
 * Projects a batch of one partition's records, in offset order, from the stored `position`: records before it were
 * projected already and are skipped, the rest are judged by the log's claim rule exactly as replay judges them, and
 * the counted outcomes become read-model changes. Pure: the store runs it inside the transaction that read `position`.
 */
export function projectBatch(
  service: ProjectedService,
  topic: string,
  partition: number,
  position: PartitionPosition,
  records: EventsRecord[],
): ProjectedBatch {
  const changes = new ReadModelChanges();
  let { nextOffset, latestClaim } = position;
  let read = 0;
  let counted = 0;
  const malformed: number[] = [];
  for (const { offset, timestamp, value } of records) {
    if (offset < nextOffset) continue;
    nextOffset = offset + 1;
    read++;
    let record: LogRecord;
    try {
      record = parseLogRecord(value, offset);
    } catch {
      malformed.push(offset);
      continue;
    }
    if (!countsUnderClaim(record, latestClaim)) continue;
    latestClaim = latestClaimAfter(record, offset, latestClaim);
    counted++;
    if (record.type === 'outcome') projectOutcome(record, { service, topic, partition, offset, timestamp }, changes);
  }
  return { changes, position: { nextOffset, latestClaim }, read, counted, malformed };
}
