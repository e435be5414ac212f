import { setImmediate as nextTurn } from 'node:timers/promises';
import { EventStream, withReadsThrough } from '@app/engine';

/** Records handed to a receiver between two turns of the event loop. */
export const RECORDS_PER_TURN = 50;

/**
 * The same stream, but a read hands its records on a slice at a time and lets the event loop turn between slices:
 * a rebuild that re-simulates thousands of ticks shares the gateway with its sockets and health checks instead of
 * holding it for a whole fetch (up to 16 MB of records).
 */
export function yieldingReads(stream: EventStream, perTurn = RECORDS_PER_TURN): EventStream {
  return withReadsThrough(stream, (onRecords) => async (records) => {
    for (let index = 0; index < records.length; index += perTurn) {
      if (index > 0) await nextTurn();
      await onRecords(records.slice(index, index + perTurn));
    }
  });
}
