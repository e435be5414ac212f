import { createHash } from 'node:crypto';
import type { EventsRecord } from './project-batch';

/**
 * The last record a position was read from: its offset and a digest of its bytes. Stored with the position, it ties
 * the position to one log. A topic deleted and created again under the same name holds another record there (its
 * outcomes carry other command ids and times), or none, so a position cannot be carried over to a log it was not
 * read from.
 */
export interface LogBinding {
  offset: number;
  digest: string;
}

/** What the projection stored for a partition: how far it read, from which log, and whether it stopped. */
export interface StoredPartition {
  nextOffset: number;
  /** Absent for positions stored before positions were bound (and for a partition never read). */
  last?: LogBinding;
}

export const recordDigest = (value: Buffer | null): string => (value === null ? 'null' : createHash('sha256').update(value).digest('hex'));

/** What to do about a partition the projection stopped: the read models hold counts of a log that is gone or incomplete. */
export const REBUILD_ADVICE =
  'the read models cannot be made exact for this log by going on; rebuild them from the logs as they are now (docs/analytics.md, "A log replaced under the same name")';

/**
 * Why the log as it is now (`start..end`, and the record found at the stored binding's offset) is not the one the
 * position was read from, or undefined when it is. A position with no binding (stored before positions were bound) is
 * judged by the offsets alone. A missing proof never counts as agreement: a binding whose record is gone refutes.
 */
export function logRefutation(
  stored: StoredPartition,
  log: { start: number; end: number; atBinding?: { offset: number; value: Buffer | null } },
): string | undefined {
  const { nextOffset, last } = stored;
  if (nextOffset === 0) return undefined;
  if (log.end < nextOffset) {
    return `log replaced: it ends at offset ${log.end}, before the ${nextOffset} offsets projected from it (the topic was deleted and created again)`;
  }
  if (log.start > nextOffset) {
    return `records deleted: the log starts at offset ${log.start}, past the stored position ${nextOffset}; offsets ${nextOffset} to ${log.start - 1} are gone unprojected (retention or deleteRecords)`;
  }
  if (!last) return undefined;
  if (log.start > last.offset) {
    return `log replaced or trimmed: the record at offset ${last.offset} the position was read from is gone (the log starts at ${log.start}), so nothing shows this is the same log`;
  }
  if (log.atBinding?.offset !== last.offset) return `log replaced: it holds no record at offset ${last.offset}, where the position was read from`;
  if (recordDigest(log.atBinding.value) !== last.digest) {
    return `log replaced: the record at offset ${last.offset} is not the one projected there (the topic was deleted and created again)`;
  }
  return undefined;
}

/**
 * Why a batch read from `fetchedFrom` shows its log is not the one the position was read from, or undefined when it
 * shows nothing of the kind. While a projector runs, a topic replaced under it makes Kafka answer its fetch offset out of
 * range, and the consumer starts over at the new log's first offset: a batch from at or below the binding must then
 * hold the bound record itself. (A record at an offset never changes in one log, so a batch fetched long ago, during a
 * rebalance, still shows the same bytes; its high watermark, though, may be old, so the log's end is not judged here.)
 */
export function batchRefutation(stored: StoredPartition, fetchedFrom: number, records: EventsRecord[]): string | undefined {
  const { last } = stored;
  if (!last || fetchedFrom > last.offset || records.length === 0 || records[records.length - 1].offset < last.offset) return undefined;
  const bound = records.find(({ offset }) => offset === last.offset);
  if (!bound) return `log replaced: it holds no record at offset ${last.offset}, where the position was read from`;
  if (recordDigest(bound.value) !== last.digest) {
    return `log replaced: the record at offset ${last.offset} is not the one projected there (the topic was deleted and created again)`;
  }
  return undefined;
}
