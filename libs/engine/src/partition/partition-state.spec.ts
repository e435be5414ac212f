import { Account, accountsDomain } from '@app/accounts';
import { decideBatch } from './decide-batch';
import { DesyncError, imageText, PartitionImage, PartitionState } from './partition-state';
import { CommandEnvelope, LogRecord } from './records';

const domain = accountsDomain();

const envelope = (commandId: string, aggregateId: string, command: unknown, issuedAt = 1000): CommandEnvelope => ({
  commandId,
  aggregateId,
  issuedAt,
  command,
  replyTo: { topic: 'replies', partition: 0 },
});

/** Batches as an owner might see them: duplicates within and across batches, rejections, invalid payloads, transfers, holds. */
const batches: CommandEnvelope[][] = [
  [
    envelope('d1', 'alice', { type: 'deposit', amount: 100 }),
    envelope('d2', 'bob', { type: 'deposit', amount: 20 }),
    envelope('d1', 'alice', { type: 'deposit', amount: 100 }),
    envelope('w1', 'bob', { type: 'withdraw', amount: 50 }),
    envelope('x1', 'carol', { type: 'deposit', amount: -1 }),
    envelope('x2', 'carol', { type: 'launder' }),
    envelope('x3', 'carol', 'not an object'),
  ],
  [
    envelope('h1', 'alice', { type: 'hold', holdId: 'rent', amount: 60, ttlMs: 500 }, 2000),
    envelope('w2', 'alice', { type: 'withdraw', amount: 50 }, 2000),
    envelope('t1', 'alice', { type: 'transfer', to: 'bob', amount: 30 }, 2000),
    envelope('t2', 'alice', { type: 'transfer', to: 'alice', amount: 1 }, 2000),
    envelope('w1', 'bob', { type: 'withdraw', amount: 1 }, 2000),
    envelope('h2', 'alice', { type: 'hold', holdId: 'rent', amount: 1, ttlMs: 500 }, 2000),
  ],
  [
    envelope('t1:credit', 'bob', { type: 'credit', from: 'alice', transferId: 't1', amount: 30 }, 3000),
    envelope('e1', 'alice', { type: 'expire-holds' }, 3000),
    envelope('w3', 'alice', { type: 'withdraw', amount: 70 }, 3000),
    envelope('x1', 'carol', { type: 'deposit', amount: 5 }, 3000),
    envelope('d3', 'dave', { type: 'deposit', amount: 1 }, 3000),
  ],
];

/** Runs the batches as an owner would, appending each batch's records and then a checkpoint to the log. */
function runLive(dedupeCapacity: number) {
  const live = new PartitionState(domain, dedupeCapacity);
  const log: LogRecord[] = [];
  for (const batch of batches) {
    for (const { record } of decideBatch(domain, live, batch).records) log.push(record);
    log.push({ type: 'checkpoint', stateHash: live.hash() });
    live.lastOffset = log.length - 1;
  }
  return { live, log };
}

function replay(log: LogRecord[], dedupeCapacity: number, from?: PartitionImage<Account>) {
  const state = new PartitionState(domain, dedupeCapacity, from);
  log.forEach((record, offset) => {
    if (offset > state.lastOffset) state.apply(record, offset);
  });
  return state;
}

const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('PartitionState', () => {
  describe('replaying the records decideBatch produced', () => {
    it.each([100, 3])('reaches exactly the live state (dedupe capacity %i)', (capacity) => {
      const { live, log } = runLive(capacity);
      const replayed = replay(log, capacity);
      expect(replayed.hash()).toBe(live.hash());
      expect(replayed.image()).toEqual(live.image());
      expect(replayed.lastOffset).toBe(log.length - 1);
    });

    it('covers what the batches were meant to exercise', () => {
      const { live, log } = runLive(100);
      const outcomes = log.flatMap((record) => (record.type === 'outcome' ? [record] : []));
      expect(outcomes.map((record) => record.commandId)).toEqual(['d1', 'd2', 'w1', 'x1', 'x2', 'x3', 'h1', 'w2', 't1', 't2', 'h2', 't1:credit', 'e1', 'w3', 'd3']);
      expect(outcomes.filter((record) => !record.outcome.ok).map((record) => record.outcome.ok || record.outcome.rejection.code)).toEqual([
        'insufficient_funds',
        'invalid_payload',
        'invalid_payload',
        'invalid_payload',
        'insufficient_funds',
        'invalid_transfer',
        'duplicate_hold',
      ]);
      expect(Object.fromEntries(live.aggregateView)).toEqual({
        alice: { balance: 0, holds: {} },
        bob: { balance: 50, holds: {} },
        dave: { balance: 1, holds: {} },
      });
    });

    it('reaches the live state from a snapshot image taken part way', () => {
      const { live, log } = runLive(3);
      const firstCheckpoint = log.findIndex((record) => record.type === 'checkpoint');
      const snapshot = roundTrip(replay(log.slice(0, firstCheckpoint + 1), 3).image());
      const resumed = replay(log, 3, snapshot);
      expect(resumed.hash()).toBe(live.hash());
      expect(resumed.image()).toEqual(live.image());
    });

    it('is detected when a record is missing', () => {
      const { log } = runLive(100);
      const lost = log.findIndex((record) => record.type === 'outcome' && record.commandId === 'w2');
      expect(() => replay([...log.slice(0, lost), ...log.slice(lost + 1)], 100)).toThrow(DesyncError);
    });
  });

  describe('a checkpoint', () => {
    const seeded = () => {
      const state = new PartitionState(domain, 10);
      state.apply({ type: 'outcome', commandId: 'd1', aggregateId: 'alice', events: [{ type: 'deposited', amount: 5 }], outcome: { ok: true, reply: null } }, 6);
      return state;
    };

    it('with the state hash passes and advances the offset', () => {
      const state = seeded();
      state.apply({ type: 'checkpoint', stateHash: state.hash() }, 7);
      expect(state.lastOffset).toBe(7);
    });

    it('with another hash throws a DesyncError naming the offset, and leaves the offset alone', () => {
      const state = seeded();
      const actual = state.hash();
      let thrown: unknown;
      try {
        state.apply({ type: 'checkpoint', stateHash: 'f00d' }, 8);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DesyncError);
      expect(thrown).toMatchObject({ name: 'DesyncError', offset: 8, expected: 'f00d', actual });
      expect((thrown as Error).message).toContain('offset 8');
      expect(state.lastOffset).toBe(6);
    });
  });

  describe('image', () => {
    it('survives JSON into a new state with the same hash and image', () => {
      const { live } = runLive(100);
      const restored = new PartitionState(domain, 100, roundTrip(live.image()));
      expect(restored.hash()).toBe(live.hash());
      expect(restored.image()).toEqual(live.image());
      expect(restored.dedupe.outcomeOf('w1')).toEqual(live.dedupe.outcomeOf('w1'));
    });

    it('survives serialize and deserialize with the same hash', () => {
      const { live } = runLive(100);
      const restored = PartitionState.deserialize(domain, 100, live.serialize(), live.lastOffset);
      expect(restored.hash()).toBe(live.hash());
      expect(restored.lastOffset).toBe(live.lastOffset);
      expect(Object.fromEntries(restored.aggregateView)).toEqual(Object.fromEntries(live.aggregateView));
      expect(restored.dedupe.entries()).toEqual(live.dedupe.entries());
    });

    it('writes an image taken earlier as it was, whatever the state did since', () => {
      const { live } = runLive(100);
      const [before, text] = [live.image(), live.serialize()];
      decideBatch(domain, live, [envelope('later', 'alice', { type: 'deposit', amount: 7 }), envelope('new', 'erin', { type: 'deposit', amount: 1 })]);
      expect(live.serialize()).not.toBe(text);
      expect([...imageText(before)].join('')).toBe(text);
      expect(JSON.parse(text)).toEqual({ aggregates: before.aggregates, consumedOffset: before.consumedOffset, dedupe: before.dedupe });
    });

    it.each(['null', '{}', '{"aggregates":[]}', '5'])('refuses to deserialize %s', (text) =>
      expect(() => PartitionState.deserialize(domain, 100, text, 0)).toThrow('not a partition image'));

    it('starts at offset -1 and empty', () => expect(new PartitionState(domain, 10).image()).toEqual({ lastOffset: -1, consumedOffset: -1, aggregates: [], dedupe: [] }));
  });

  describe('hash', () => {
    const outcome = { ok: true as const, reply: null };

    it('does not depend on the order aggregates were first touched', () => {
      const one = new PartitionState(domain, 10);
      one.fold('alice', [{ type: 'deposited', amount: 1 }]);
      one.fold('bob', [{ type: 'deposited', amount: 2 }]);
      const other = new PartitionState(domain, 10);
      other.fold('bob', [{ type: 'deposited', amount: 2 }]);
      other.fold('alice', [{ type: 'deposited', amount: 1 }]);
      expect(one.image().aggregates).not.toEqual(other.image().aggregates);
      expect(one.hash()).toBe(other.hash());
    });

    it('depends on aggregate content', () => {
      const one = new PartitionState(domain, 10);
      one.fold('alice', [{ type: 'deposited', amount: 1 }]);
      const other = new PartitionState(domain, 10);
      other.fold('alice', [{ type: 'deposited', amount: 2 }]);
      expect(one.hash()).not.toBe(other.hash());
    });

    it('depends on dedupe content', () => {
      const empty = new PartitionState(domain, 10);
      const one = new PartitionState(domain, 10);
      one.dedupe.remember('c1', outcome);
      const other = new PartitionState(domain, 10);
      other.dedupe.remember('c1', { ok: false, rejection: { code: 'x', message: 'x' } });
      expect(new Set([empty.hash(), one.hash(), other.hash()]).size).toBe(3);
    });

    it('leaves the offset out', () => {
      const state = new PartitionState(domain, 10);
      const before = state.hash();
      state.apply({ type: 'checkpoint', stateHash: before }, 41);
      expect(state.hash()).toBe(before);
    });
  });

  describe('apply', () => {
    it('folds the events, remembers the outcome and tracks the offset', () => {
      const state = new PartitionState(domain, 10);
      const outcome = { ok: true as const, reply: { balance: 5, held: 0 } };
      state.apply({ type: 'outcome', commandId: 'd1', aggregateId: 'alice', events: [{ type: 'deposited', amount: 5 }], outcome }, 0);
      state.apply({ type: 'outcome', commandId: 'x1', aggregateId: 'bob', events: [], outcome: { ok: false, rejection: { code: 'c', message: 'm' } } }, 4);
      expect(state.aggregate('alice')).toEqual({ balance: 5, holds: {} });
      expect(state.aggregateView.has('bob')).toBe(false);
      expect(state.dedupe.outcomeOf('d1')).toEqual(outcome);
      expect(state.dedupe.outcomeOf('x1')).toMatchObject({ ok: false });
      expect(state.lastOffset).toBe(4);
    });
  });
});
