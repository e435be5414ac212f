import { countsUnderClaim, latestClaimAfter, LogRecord, NO_CLAIM, parseLogRecord, RECORD_VERSION, withCurrentEvents } from '@app/engine';
import { LogBinding, recordDigest } from './log-binding';
import { EventsDomains, PROJECTED_DOMAINS } from './projected-domains';
import { OutcomeRecord, ProjectedService, projectOutcome } from './project-outcome';
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
  /** The last record read (the one before `position.nextOffset`): stored with the position, it binds it to this log. */
  last?: LogBinding;
  /**
   * The record the batch stopped at, unprojected, and why: its events are of a version newer than this code knows, or
   * they cannot be projected (a time that is no date, an event of an unexpected shape). Counting them as if current
   * would misread them, and moving past them would lose them for good; the position stays at the record, so a version
   * of the projection that reads it starts there.
   */
  refused?: { offset: number; reason: string };
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
  domains: EventsDomains = PROJECTED_DOMAINS,
): ProjectedBatch {
  const changes = new ReadModelChanges();
  let { nextOffset, latestClaim } = position;
  let read = 0;
  let counted = 0;
  const malformed: number[] = [];
  let lastRead: EventsRecord | undefined;
  const result = (refused?: ProjectedBatch['refused']): ProjectedBatch => ({
    changes,
    position: { nextOffset, latestClaim },
    read,
    counted,
    malformed,
    ...(lastRead && { last: { offset: lastRead.offset, digest: recordDigest(lastRead.value) } }),
    ...(refused && { refused }),
  });
  for (const entry of records) {
    const { offset, timestamp, value } = entry;
    if (offset < nextOffset) continue;
    let record: LogRecord;
    try {
      record = parseLogRecord(value, offset);
    } catch (error) {
      // A newer format is no malformed record: a newer version of the projection reads it.
      if (ofNewerFormat(value)) return result({ offset, reason: (error as Error).message });
      nextOffset = offset + 1;
      read++;
      lastRead = entry;
      malformed.push(offset);
      continue;
    }
    const counts = countsUnderClaim(record, latestClaim);
    let current: OutcomeRecord | undefined;
    if (counts && record.type === 'outcome') {
      try {
        current = withCurrentEvents(domains[service], record);
      } catch (error) {
        return result({ offset, reason: (error as Error).message });
      }
    }
    if (current) {
      // Made whole before any of it counts: a record whose events cannot be projected (a time that is no date, an event
      // of a shape this code does not expect) would otherwise fail the batch on every retry and stall the partition
      // unseen. It is refused as a newer version is: stopped at, named, and left for a version that reads it.
      const recordChanges = new ReadModelChanges();
      try {
        projectOutcome(current, { service, topic, partition, offset, timestamp }, recordChanges);
      } catch (error) {
        return result({ offset, reason: `the record at offset ${offset} cannot be projected: ${(error as Error).message}` });
      }
      changes.merge(recordChanges);
    }
    nextOffset = offset + 1;
    read++;
    lastRead = entry;
    if (!counts) continue;
    latestClaim = latestClaimAfter(record, offset, latestClaim);
    counted++;
  }
  return result();
}

/** Whether a record that did not parse says it is of a format newer than this code reads. */
function ofNewerFormat(value: Buffer | null): boolean {
  try {
    const format = (JSON.parse(value?.toString('utf8') ?? 'null') as { v?: unknown } | null)?.v;
    return typeof format === 'number' && format > RECORD_VERSION;
  } catch {
    return false;
  }
}
