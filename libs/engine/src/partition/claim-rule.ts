import { LogRecord } from './records';

/** The offset of no claim: before the first claim of a partition is read. */
export const NO_CLAIM = -1;

/**
 * The log's fencing rule, the one place it is written: a `claim` always counts; any other record counts only when
 * it was written under the latest claim read before it in its partition (`latestClaim`), and one exists. So nothing
 * a superseded owner appends after a newer claim ever counts, for replay, standbys and readers such as analytics.
 */
export function countsUnderClaim(record: LogRecord, latestClaim: number): boolean {
  return record.type === 'claim' || (latestClaim !== NO_CLAIM && record.claim === latestClaim);
}

/** The latest claim once the record at `offset` is read: its own offset when it is a claim. */
export function latestClaimAfter(record: LogRecord, offset: number, latestClaim: number): number {
  return record.type === 'claim' ? offset : latestClaim;
}
