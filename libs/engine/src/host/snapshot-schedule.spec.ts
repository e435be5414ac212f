import { LogRecord } from '../partition/records';
import { BatchPlan, ScheduleSettings, SnapshotSchedule } from './snapshot-schedule';

const SETTINGS: ScheduleSettings = { checkpointEveryRecords: 10, snapshotEveryRecords: 25, snapshotEveryMs: 60_000 };
/** The domain's own measure: only `moved` events count toward a snapshot, 3 of them make one due. */
const COUNTS_MOVES: ScheduleSettings = { ...SETTINGS, snapshotEvery: { events: 3, counts: (event) => (event as { type: string }).type === 'moved' } };
const SERVING_SINCE = 1_000_000;

const outcome = (...events: string[]): LogRecord => ({
  type: 'outcome',
  claim: 7,
  commandId: `c-${Math.random()}`,
  aggregateId: 'a',
  events: events.map((type) => ({ type })),
  outcome: { ok: true, reply: null },
});
const decided = (count: number): LogRecord[] => Array.from({ length: count }, () => outcome());

/**
 * A schedule of a new owner that replayed `replayed` records, then committed `batches` (records decided in each), as
 * `given`; `when` commits one more batch (or asks something else) and `then` checks what it answered.
 */
function given(options: { settings?: ScheduleSettings; replayed?: number; batches?: LogRecord[][] } = {}) {
  const schedule = new SnapshotSchedule(options.settings ?? SETTINGS, options.replayed ?? 0, SERVING_SINCE);
  for (const batch of options.batches ?? []) schedule.batch(batch, false);
  return {
    schedule,
    whenBatch: (records: LogRecord[], snapshotInFlight = false) => ({
      then: (expected: BatchPlan) => expect(schedule.batch(records, snapshotInFlight)).toEqual(expected),
    }),
  };
}

const NOTHING: BatchPlan = { checkpoint: false, snapshot: false };
const CHECKPOINT: BatchPlan = { checkpoint: true, snapshot: false };
const SNAPSHOT: BatchPlan = { checkpoint: true, snapshot: true };

describe('SnapshotSchedule: checkpoints', () => {
  it('given 9 records since the last checkpoint, when one more is decided, then the batch ends on a checkpoint', () =>
    given({ batches: [decided(4), decided(5)] })
      .whenBatch(decided(1))
      .then(CHECKPOINT));

  it('given 9 records since the last checkpoint, when a batch decides nothing, then no checkpoint', () =>
    given({ batches: [decided(9)] })
      .whenBatch([])
      .then(NOTHING));

  it('given a checkpoint was just due, when 9 more records are decided, then none is due: the count starts again', () =>
    given({ batches: [decided(12)] })
      .whenBatch(decided(9))
      .then(NOTHING));
});

describe('SnapshotSchedule: snapshots by records', () => {
  it('given recovery replayed 20 records, when 5 more are decided, then a snapshot is due (on a checkpoint)', () =>
    given({ replayed: 20 }).whenBatch(decided(5)).then(SNAPSHOT));

  it('given 18 records since the last snapshot, when 7 more come while one is on its way, then none starts, but they count', () => {
    const { schedule, whenBatch } = given({ batches: [decided(9), decided(9)] });
    whenBatch(decided(7), true).then(NOTHING);
    expect(schedule.batch([], false)).toEqual(SNAPSHOT);
  });

  it('given a snapshot started, when records are decided, then they count toward the next one only', () => {
    const { schedule, whenBatch } = given({ batches: [decided(9), decided(9)] });
    schedule.snapshotStarted(SERVING_SINCE + 5);
    whenBatch(decided(9)).then(NOTHING);
    whenBatch(decided(9)).then(CHECKPOINT);
    whenBatch(decided(7)).then(SNAPSHOT);
  });
});

describe("SnapshotSchedule: snapshots by the domain's measure", () => {
  it('given 2 moves since the last snapshot, when a batch adds one move among other events, then a snapshot is due', () =>
    given({ settings: COUNTS_MOVES, batches: [[outcome('moved', 'moved')]] })
      .whenBatch([outcome('spoke', 'moved', 'spoke')])
      .then(SNAPSHOT));

  it('given many records without a move, when another comes, then no snapshot: records do not count', () =>
    given({ settings: COUNTS_MOVES, replayed: 100 })
      .whenBatch([outcome('spoke')])
      .then(NOTHING));

  it('given an earlier owner counted 2 moves, when the new owner decides one, then no snapshot: nothing carries over', () => {
    given({ settings: COUNTS_MOVES, batches: [[outcome('moved', 'moved')]] });
    given({ settings: COUNTS_MOVES, replayed: 50 })
      .whenBatch([outcome('moved')])
      .then(NOTHING);
  });

  it('given a snapshot started after 2 moves, when one more move comes, then none is due', () => {
    const { schedule, whenBatch } = given({ settings: COUNTS_MOVES, batches: [[outcome('moved', 'moved')]] });
    schedule.snapshotStarted(SERVING_SINCE + 5);
    whenBatch([outcome('moved')]).then(NOTHING);
  });
});

describe('SnapshotSchedule: the batch a snapshot is taken after', () => {
  it('given no checkpoint yet, when the snapshot batch appends nothing else, then it ends on a new checkpoint', () =>
    expect(given().schedule.snapshotBatch([], 40, false)).toEqual({ checkpoint: true }));

  it('given the state ends on the latest checkpoint, when the snapshot batch appends nothing else, then no new one', () => {
    const { schedule } = given();
    schedule.checkpointAppended(40, '{"type":"checkpoint"}');
    expect(schedule.snapshotBatch([], 40, false)).toEqual({ checkpoint: false });
    expect(schedule.lastCheckpoint).toEqual({ offset: 40, text: '{"type":"checkpoint"}' });
  });

  it('given the state ends on the latest checkpoint, when the snapshot batch logs sent outboxes, then a new checkpoint follows', () => {
    const { schedule } = given();
    schedule.checkpointAppended(40, '{"type":"checkpoint"}');
    expect(schedule.snapshotBatch([], 40, true)).toEqual({ checkpoint: true });
  });

  it('given records appended after the latest checkpoint, when the snapshot batch comes, then a new checkpoint', () => {
    const { schedule } = given();
    schedule.checkpointAppended(40, '{"type":"checkpoint"}');
    expect(schedule.snapshotBatch([], 43, false)).toEqual({ checkpoint: true });
  });

  it('given a snapshot batch ended on a checkpoint, when 9 records follow, then none is due: the count started again', () => {
    const { schedule, whenBatch } = given({ batches: [decided(8)] });
    schedule.snapshotBatch([], 8, false);
    whenBatch(decided(9)).then(NOTHING);
  });
});

describe('SnapshotSchedule: snapshots by time', () => {
  const later = SERVING_SINCE + SETTINGS.snapshotEveryMs;

  it('given nothing appended since serving started, when the time passes, then no snapshot is due', () => {
    const { schedule } = given();
    expect(schedule.unsnapshotted).toBe(false);
    expect(schedule.dueByTime(later * 2)).toBe(false);
  });

  it('given records replayed, when less than the interval passed, then none is due; when it passed, then one is', () => {
    const { schedule } = given({ replayed: 3 });
    expect(schedule.dueByTime(later - 1)).toBe(false);
    expect(schedule.dueByTime(later)).toBe(true);
  });

  it('given a snapshot that failed with nothing appended since, when the interval passes, then one is due again', () => {
    const { schedule } = given({ replayed: 3 });
    schedule.snapshotStarted(later);
    expect(schedule.unsnapshotted).toBe(false);
    schedule.snapshotFailed();
    expect(schedule.unsnapshotted).toBe(true);
    expect(schedule.dueByTime(later + SETTINGS.snapshotEveryMs)).toBe(true);
  });
});
