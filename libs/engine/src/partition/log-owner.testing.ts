import { AggregateDomain } from '../domain/aggregate-domain';
import { decideBatch } from './decide-batch';
import { DedupeSetting, PartitionState } from './partition-state';
import { CommandEnvelope, LogRecord } from './records';

/**
 * An owner of a log held as an array (offset = index), for decideBatch's specs: it claims at 0, decides batches live
 * and appends their records as JSON carries them, and replays its log into a fresh state to compare with.
 */
export function logOwner<S, C, E, R>(domain: AggregateDomain<S, C, E, R>, dedupe: DedupeSetting) {
  const log: LogRecord[] = [{ type: 'claim', owner: 'me' }];
  const state = new PartitionState(domain, dedupe);
  state.apply(log[0], 0);
  return {
    state,
    decide(batch: CommandEnvelope[]) {
      const writes = decideBatch(domain, state, batch);
      for (const { record } of writes.records) {
        log.push(JSON.parse(JSON.stringify(record)) as LogRecord);
        state.written(record, log.length - 1);
      }
      return writes;
    },
    replayed() {
      const replayed = new PartitionState(domain, dedupe);
      log.forEach((record, offset) => replayed.apply(record, offset));
      return replayed;
    },
  };
}
