import { DesyncError } from '../errors/engine-errors';
import { DedupeSetting, PartitionState } from './partition-state';
import { claim, claimedAt, credit, deposited, domain, envelope, ok, replay, roundTrip, runLive, withoutOffset } from './partition-state.testing';
import { LogRecord } from './records';

describe('PartitionState', () => {
  describe('replaying the records decideBatch produced', () => {
    it.each<DedupeSetting>([100, 3, { perRequester: 100, horizonMs: 1_500 }])('reaches exactly the live state (dedupe %j)', (capacity) => {
      const { live, log } = runLive(capacity);
      const replayed = replay(log, capacity);
      expect(replayed.hash()).toBe(live.hash());
      expect(replayed.image()).toEqual(live.image());
      expect(replayed.lastOffset).toBe(log.length - 1);
    });

    it('covers what the batches were meant to exercise', () => {
      const { live, log } = runLive(100);
      const outcomes = log.flatMap((record) => (record.type === 'outcome' ? [record] : []));
      expect(outcomes.map((record) => record.commandId)).toEqual([
        'd1',
        'd2',
        'w1',
        'x1',
        'x2',
        'x3',
        'h1',
        'w2',
        't1',
        't2',
        'h2',
        't1:credit',
        'e1',
        'w3',
        'd3',
      ]);
      expect(outcomes.filter((record) => !record.outcome.ok).map((record) => record.outcome.ok || record.outcome.rejection.code)).toEqual([
        'insufficient_funds',
        'invalid_payload',
        'invalid_payload',
        'invalid_payload',
        'insufficient_funds',
        'invalid_transfer',
        'duplicate_hold',
      ]);
      expect(Object.fromEntries(live.aggregateStates)).toEqual({
        alice: { balance: 0, holds: {} },
        bob: { balance: 50, holds: {} },
        dave: { balance: 1, holds: {} },
      });
      const transfer = log.findIndex((record) => record.type === 'outcome' && record.commandId === 't1');
      expect(live.unsent).toEqual([{ offset: transfer, outbox: [{ ...credit('bob', 't1', 30), issuedAt: 2000 }] }]);
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

  describe('claims', () => {
    /** A claims at 0 and writes d1 (command offset 7, one outbox command) at 1; B claims at 2. */
    const handedOver = () => {
      const state = claimedAt(0);
      expect(state.apply(deposited('d1', 'alice', 5, 0, { commandOffset: 7, outbox: [credit('bob', 'd1', 1)] }), 1)).toBe(true);
      expect(state.apply({ type: 'claim', owner: 'B' }, 2)).toBe(true);
      return state;
    };

    it('count what an earlier owner wrote before the newer claim', () => {
      const state = handedOver();
      expect(state.claim).toBe(2);
      expect(state.aggregate('alice').balance).toBe(5);
      expect(state.dedupe.outcomeOf('d1')).toEqual(ok);
      expect(state.consumedOffset).toBe(7);
      expect(state.unsent).toEqual([{ offset: 1, outbox: [credit('bob', 'd1', 1)] }]);
    });

    it('count records written under the latest claim', () => {
      const state = handedOver();
      expect(state.apply(deposited('d2', 'alice', 3, 2, { commandOffset: 9 }), 3)).toBe(true);
      expect(state.aggregate('alice').balance).toBe(8);
      expect(state.consumedOffset).toBe(9);
      expect(state.lastOffset).toBe(3);
    });

    it.each<[string, LogRecord]>([
      [
        'an outcome with an outbox and an origin',
        deposited('z1', 'alice', 1000, 0, { commandOffset: 50, origin: { source: 'bank#1', offset: 3, index: 0 }, outbox: [credit('carol', 'z1', 1)] }),
      ],
      ['a checkpoint with a wrong hash', { type: 'checkpoint', claim: 0, stateHash: 'f00d' }],
      ['an outbox-sent', { type: 'outbox-sent', claim: 0, through: 1 }],
    ])('skip %s that an earlier owner wrote after a newer claim: only the offset moves', (_name, record) => {
      const state = handedOver();
      const before = { image: withoutOffset(state.image()), hash: state.hash() };
      expect(state.apply(record, 3)).toBe(false);
      expect(withoutOffset(state.image())).toEqual(before.image);
      expect(state.hash()).toBe(before.hash);
      expect(state.lastOffset).toBe(3);
      expect(state.dedupe.outcomeOf('z1')).toBeUndefined();
      expect(state.isNewOrigin({ source: 'bank#1', offset: 3, index: 0 })).toBe(true);
    });

    it('skip a record whose claim was never folded in', () => {
      const state = new PartitionState(domain, 10);
      expect(state.apply(deposited('d1', 'alice', 5, 0), 0)).toBe(false);
      expect(state.aggregateStates.size).toBe(0);
      expect(state.lastOffset).toBe(0);
    });

    it('skip a record written before any claim', () => {
      const state = new PartitionState(domain, 10);
      expect(state.apply(deposited('d1', 'alice', 5, -1), 0)).toBe(false);
      expect(state.aggregateStates.size).toBe(0);
    });

    it('let a replay of an interleaved log reach the live state of the newest owner', () => {
      const log: LogRecord[] = [];
      const a = claim(log, 'A');
      a.decide([envelope('d1', 'alice', { type: 'deposit', amount: 100 }), envelope('t1', 'alice', { type: 'transfer', to: 'bob', amount: 30 })]);
      a.checkpoint();
      const b = claim(log, 'B');
      // A has not noticed B yet: what it appends from here on must not count, whatever it is.
      a.decide([
        envelope('z1', 'alice', { type: 'deposit', amount: 1000 }),
        envelope('z2', 'alice', { type: 'transfer', to: 'carol', amount: 5 }),
        { ...envelope('z3', 'erin', { type: 'deposit', amount: 1 }), offset: 40 },
      ]);
      a.outboxSent(log.length - 1);
      a.checkpoint();
      b.decide([envelope('w1', 'alice', { type: 'withdraw', amount: 50 }), { ...envelope('z1', 'alice', { type: 'deposit', amount: 1 }), offset: 12 }]);
      b.checkpoint();

      const replayed = replay(log, 100);
      expect(replayed.image()).toEqual(b.state.image());
      expect(replayed.hash()).toBe(b.state.hash());
      expect(Object.fromEntries(replayed.aggregateStates)).toEqual({ alice: { balance: 21, holds: {} } });
      expect(replayed.dedupe.outcomeOf('z1')).toEqual({ ok: true, reply: { balance: 21, held: 0 } });
      expect(replayed.dedupe.outcomeOf('z2')).toBeUndefined();
      expect(replayed.consumedOffset).toBe(12);
      expect(replayed.unsent.map(({ outbox }) => outbox.map(({ commandId }) => commandId))).toEqual([['t1:credit']]);
      expect(replayed.claim).toBe(log.findIndex((record) => record.type === 'claim' && record.owner === 'B'));
      // The zombie's own view did take its records in: it is what the log must not let count.
      expect(a.state.aggregate('alice').balance).toBe(1065);
    });
  });

  describe('unsent outboxes', () => {
    it('are added in offset order by the records that have one', () => {
      const state = claimedAt(0);
      state.apply(deposited('d1', 'alice', 5, 0, { outbox: [credit('bob', 'd1', 1)] }), 1);
      state.apply(deposited('d2', 'alice', 5, 0), 2);
      state.apply(deposited('d3', 'alice', 5, 0, { outbox: [credit('bob', 'd3', 2), credit('carol', 'd3', 3)] }), 3);
      expect(state.unsent).toEqual([
        { offset: 1, outbox: [credit('bob', 'd1', 1)] },
        { offset: 3, outbox: [credit('bob', 'd3', 2), credit('carol', 'd3', 3)] },
      ]);
    });

    it('are added live by written, which folds nothing (decideBatch already did)', () => {
      const state = claimedAt(0);
      state.written(deposited('d1', 'alice', 5, 0, { outbox: [credit('bob', 'd1', 1)] }), 4);
      expect(state.unsent).toEqual([{ offset: 4, outbox: [credit('bob', 'd1', 1)] }]);
      expect(state.lastOffset).toBe(4);
      expect(state.aggregateStates.size).toBe(0);
    });

    it('are dropped by an outbox-sent up to its `through` only', () => {
      const state = claimedAt(0);
      for (const offset of [1, 3, 5]) state.apply(deposited(`d${offset}`, 'alice', 1, 0, { outbox: [credit('bob', `d${offset}`, offset)] }), offset);
      expect(state.apply({ type: 'outbox-sent', claim: 0, through: 3 }, 6)).toBe(true);
      expect(state.unsent.map(({ offset }) => offset)).toEqual([5]);
      state.apply({ type: 'outbox-sent', claim: 0, through: 4 }, 7);
      expect(state.unsent.map(({ offset }) => offset)).toEqual([5]);
      state.apply({ type: 'outbox-sent', claim: 0, through: 7 }, 8);
      expect(state.unsent).toEqual([]);
    });

    it('survive a newer claim, so the new owner sends them again', () => {
      const state = claimedAt(0);
      state.apply(deposited('d1', 'alice', 5, 0, { outbox: [credit('bob', 'd1', 1)] }), 1);
      state.apply({ type: 'claim', owner: 'B' }, 2);
      expect(state.unsent.map(({ offset }) => offset)).toEqual([1]);
    });
  });

  describe('origins', () => {
    it('a command counts as new only when it comes after the newest one applied from its source', () => {
      const state = claimedAt(0);
      state.apply(deposited('c1', 'bob', 1, 0, { origin: { source: 'bank#1', offset: 5, index: 1 } }), 1);
      expect([
        state.isNewOrigin({ source: 'bank#1', offset: 5, index: 1 }),
        state.isNewOrigin({ source: 'bank#1', offset: 5, index: 0 }),
        state.isNewOrigin({ source: 'bank#1', offset: 4, index: 9 }),
        state.isNewOrigin({ source: 'bank#1', offset: 5, index: 2 }),
        state.isNewOrigin({ source: 'bank#1', offset: 6, index: 0 }),
        state.isNewOrigin({ source: 'bank#2', offset: 0, index: 0 }),
      ]).toEqual([false, false, false, true, true, true]);
    });
  });

  describe('a checkpoint', () => {
    const seeded = () => {
      const state = claimedAt(5);
      state.apply(deposited('d1', 'alice', 5, 5), 6);
      return state;
    };

    it('with the state hash passes and advances the offset', () => {
      const state = seeded();
      expect(state.apply({ type: 'checkpoint', claim: 5, stateHash: state.hash() }, 7)).toBe(true);
      expect(state.lastOffset).toBe(7);
    });

    it('with another hash throws a DesyncError naming the offset, and leaves the offset alone', () => {
      const state = seeded();
      const actual = state.hash();
      let thrown: unknown;
      try {
        state.apply({ type: 'checkpoint', claim: 5, stateHash: 'f00d' }, 8);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DesyncError);
      expect(thrown).toMatchObject({ name: 'DesyncError', offset: 8, expected: 'f00d', actual });
      expect((thrown as Error).message).toContain('offset 8');
      expect(state.lastOffset).toBe(6);
    });

    it('with another hash passes unverified when verify is false', () => {
      const state = seeded();
      expect(state.apply({ type: 'checkpoint', claim: 5, stateHash: 'f00d' }, 8, false)).toBe(true);
      expect(state.lastOffset).toBe(8);
    });
  });

  describe('apply', () => {
    it('folds the events, remembers the outcome and tracks the offset', () => {
      const state = claimedAt(0);
      const outcome = { ok: true as const, reply: { balance: 5, held: 0 } };
      state.apply({ ...deposited('d1', 'alice', 5, 0), outcome }, 1);
      state.apply(
        { type: 'outcome', claim: 0, commandId: 'x1', aggregateId: 'bob', events: [], outcome: { ok: false, rejection: { code: 'c', message: 'm' } } },
        4,
      );
      expect(state.aggregate('alice')).toEqual({ balance: 5, holds: {} });
      expect(state.aggregateStates.has('bob')).toBe(false);
      expect(state.dedupe.outcomeOf('d1')).toEqual(outcome);
      expect(state.dedupe.outcomeOf('x1')).toMatchObject({ ok: false });
      expect(state.lastOffset).toBe(4);
    });

    it('of a claim makes its offset the claim and changes nothing the hash covers', () => {
      const state = claimedAt(0);
      const before = state.hash();
      expect(state.apply({ type: 'claim', owner: 'B' }, 12)).toBe(true);
      expect(state.claim).toBe(12);
      expect(state.lastOffset).toBe(12);
      expect(state.hash()).toBe(before);
    });
  });
});
