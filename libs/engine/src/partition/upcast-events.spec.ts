import { AggregateDomain, eventsVersionOf } from '../domain/aggregate-domain';
import { accept } from '../domain/decision';
import { decideBatch } from './decide-batch';
import { parseLogRecord } from './parse-log-record';
import { PartitionState } from './partition-state';
import { OutcomeRecord, RECORD_VERSION } from './records';
import { currentEvents, withCurrentEvents } from './upcast-events';

// A piggy bank whose events changed shape twice: version 1 counted whole coins, version 2 counts cents, version 3
// renamed `deposited` to `credited`. Only version 3 is what `evolve` knows.
type PiggyEvent = { type: 'credited'; cents: number };
type Piggy = { cents: number };
const piggyBank: AggregateDomain<Piggy, { coins: number }, PiggyEvent, null> = {
  service: 'piggy',
  schemaVersion: 1,
  initial: () => ({ cents: 0 }),
  parseCommand: (payload) => ({ ok: true, command: payload as { coins: number } }),
  decide: ({ coins }) => accept([{ type: 'credited', cents: coins * 100 }], null),
  evolve: (piggy, event) => ({ cents: piggy.cents + event.cents }),
  eventUpcasters: [
    // 1 -> 2: amounts in cents.
    (event) => {
      const { amount, ...rest } = event as { type: 'deposited'; amount: number };
      return { ...rest, cents: amount * 100 };
    },
    // 2 -> 3: `deposited` is `credited`.
    (event) => ({ ...(event as object), type: 'credited' }),
  ],
};

const outcome = (events: unknown[], eventsVersion?: number): OutcomeRecord => ({
  v: RECORD_VERSION,
  type: 'outcome',
  claim: 0,
  commandId: `c${eventsVersion}`,
  aggregateId: 'pig',
  events,
  eventsVersion,
  outcome: { ok: true, reply: null },
});
const wire = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

describe('domain event upcasters', () => {
  it('make the events version one more than their count', () => {
    expect(eventsVersionOf(piggyBank)).toBe(3);
    expect(eventsVersionOf({})).toBe(1);
  });

  it('leave events of the current version as they are', () => {
    const record = outcome([{ type: 'credited', cents: 5 }], 3);
    expect(currentEvents(piggyBank, record)).toBe(record.events);
    expect(withCurrentEvents(piggyBank, record)).toBe(record);
  });

  it('bring events of each older version to the current one, one change at a time', () => {
    expect(currentEvents(piggyBank, outcome([{ type: 'deposited', cents: 250 }], 2))).toEqual([{ type: 'credited', cents: 250 }]);
    expect(currentEvents(piggyBank, outcome([{ type: 'deposited', amount: 2 }], 1))).toEqual([{ type: 'credited', cents: 200 }]);
    expect(withCurrentEvents(piggyBank, outcome([{ type: 'deposited', amount: 2 }], 1))).toMatchObject({
      events: [{ type: 'credited', cents: 200 }],
      eventsVersion: 3,
    });
  });

  it('read an outcome that does not say as version 1', () =>
    expect(currentEvents(piggyBank, outcome([{ type: 'deposited', amount: 1 }]))).toEqual([{ type: 'credited', cents: 100 }]));

  it('refuse events of a version newer than the domain knows rather than evolve them as current', () =>
    expect(() => currentEvents(piggyBank, outcome([{ type: 'credited', cents: 1 }], 4))).toThrow(
      'the outcome of c4 holds piggy events of version 4; this code knows versions 1 to 3',
    ));

  it('let replay of a log written across every version reach the state the current events give', () => {
    const log = [
      { type: 'claim', owner: 'old' }, // format 0: before records had a format, events of version 1
      { type: 'outcome', claim: 0, commandId: 'a', aggregateId: 'pig', events: [{ type: 'deposited', amount: 1 }], outcome: { ok: true, reply: null } },
      { ...outcome([{ type: 'deposited', cents: 20 }], 2), commandId: 'b' },
      { ...outcome([{ type: 'credited', cents: 3 }], 3), commandId: 'c' },
    ];
    const replayed = new PartitionState(piggyBank, 10);
    log.forEach((record, offset) => replayed.apply(parseLogRecord(wire(record), offset), offset));
    expect(replayed.aggregate('pig')).toEqual({ cents: 123 });
  });

  it('are not needed by what is written now: its outcomes say the current version', () => {
    const state = new PartitionState(piggyBank, 10);
    state.apply({ type: 'claim', owner: 'me' }, 0);
    const { records } = decideBatch(piggyBank, state, [{ commandId: 'd', aggregateId: 'pig', issuedAt: 1, command: { coins: 2 } }]);
    expect(records.map(({ record }) => record)).toEqual([
      expect.objectContaining({ v: RECORD_VERSION, eventsVersion: 3, events: [{ type: 'credited', cents: 200 }] }),
    ]);
    expect(state.aggregate('pig')).toEqual({ cents: 200 });
  });
});
