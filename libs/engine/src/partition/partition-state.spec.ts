import { Account, accountsDomain } from '@app/accounts';
import { decideBatch } from './decide-batch';
import { DedupeSetting, DesyncError, IMAGE_FORMAT, imageText, PartitionImage, PartitionState } from './partition-state';
import { CommandEnvelope, LogRecord, Outcome, OutboxCommand, ReceivedEnvelope } from './records';

const domain = accountsDomain();
type OutcomeRecord = Extract<LogRecord, { type: 'outcome' }>;

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

function replay(log: LogRecord[], dedupeCapacity: DedupeSetting, from?: PartitionImage<Account>) {
  const state = new PartitionState(domain, dedupeCapacity, from);
  log.forEach((record, offset) => {
    if (offset > state.lastOffset) state.apply(record, offset);
  });
  return state;
}

/**
 * An owner of a log held as an array (offset = index), as the runner is one: it appends its claim, recovers by
 * replaying everything up to it, then decides batches live and folds each record in once its offset is known.
 * It keeps appending after a newer owner's claim until told otherwise, as a zombie would.
 */
function claim(log: LogRecord[], owner: string, dedupeCapacity: DedupeSetting = 100) {
  log.push({ type: 'claim', owner });
  const state = replay(log, dedupeCapacity);
  const append = (record: LogRecord) => {
    log.push(record);
    state.written(record, log.length - 1);
  };
  return {
    state,
    decide: (batch: ReceivedEnvelope[]) => decideBatch(domain, state, batch).records.forEach(({ record }) => append(record)),
    checkpoint: () => append({ type: 'checkpoint', claim: state.claim, stateHash: state.hash() }),
    outboxSent: (through: number) => append({ type: 'outbox-sent', claim: state.claim, through }),
  };
}

/** Runs the batches as one owner would, appending each batch's records and then a checkpoint to the log. */
function runLive(dedupeCapacity: DedupeSetting) {
  const log: LogRecord[] = [];
  const owner = claim(log, 'A', dedupeCapacity);
  for (const batch of batches) {
    owner.decide(batch);
    owner.checkpoint();
  }
  return { live: owner.state, log };
}

const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const ok = { ok: true as const, reply: null };
const deposited = (commandId: string, aggregateId: string, amount: number, claim: number, extra: Partial<OutcomeRecord> = {}): OutcomeRecord => ({
  type: 'outcome',
  claim,
  commandId,
  aggregateId,
  events: [{ type: 'deposited', amount }],
  outcome: ok,
  ...extra,
});
const credit = (to: string, transferId: string, amount: number): OutboxCommand => ({
  aggregateId: to,
  commandId: `${transferId}:credit`,
  issuedAt: 1000,
  command: { type: 'credit', from: 'alice', transferId, amount },
});
/** A state that has folded in one claim at `offset`. */
const claimedAt = (offset: number, dedupeCapacity = 10) => {
  const state = new PartitionState(domain, dedupeCapacity);
  state.apply({ type: 'claim', owner: 'A' }, offset);
  return state;
};
/** Everything replay must reproduce, without the offset (a skipped record still moves it). */
const withoutOffset = ({ lastOffset: _lastOffset, ...rest }: PartitionImage<Account>) => rest;

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
      ['an outcome with an outbox and an origin', deposited('z1', 'alice', 1000, 0, { commandOffset: 50, origin: { source: 'bank#1', offset: 3, index: 0 }, outbox: [credit('carol', 'z1', 1)] })],
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
      expect(state.aggregateView.size).toBe(0);
      expect(state.lastOffset).toBe(0);
    });

    it('skip a record written before any claim', () => {
      const state = new PartitionState(domain, 10);
      expect(state.apply(deposited('d1', 'alice', 5, -1), 0)).toBe(false);
      expect(state.aggregateView.size).toBe(0);
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
      expect(Object.fromEntries(replayed.aggregateView)).toEqual({ alice: { balance: 21, holds: {} } });
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
      expect(state.aggregateView.size).toBe(0);
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

  describe('image', () => {
    /** Everything a snapshot must carry beyond aggregates and dedupe: claim 4, an origin, an unsent outbox. */
    const bookkept = () => {
      const state = claimedAt(4);
      state.apply(deposited('c1', 'alice', 5, 4, { origin: { source: 'bank#1', offset: 3, index: 2 }, outbox: [credit('bob', 'c1', 1)] }), 5);
      return state;
    };

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
      expect(restored.dedupe.image()).toEqual(live.dedupe.image());
    });

    it('carries claim, origins and unsent outboxes through serialize and deserialize', () => {
      const state = bookkept();
      const restored = PartitionState.deserialize(domain, 10, state.serialize(), 5);
      expect(restored.image()).toEqual(state.image());
      expect(restored.hash()).toBe(state.hash());
      expect(restored.claim).toBe(4);
      expect(restored.image().origins).toEqual([['bank#1', 3, 2]]);
      expect(restored.isNewOrigin({ source: 'bank#1', offset: 3, index: 2 })).toBe(false);
      expect(restored.unsent).toEqual([{ offset: 5, outbox: [credit('bob', 'c1', 1)] }]);
    });

    it('carries claim, origins and unsent outboxes through JSON into a new state', () => {
      const state = bookkept();
      const restored = new PartitionState(domain, 10, roundTrip(state.image()));
      expect(restored.image()).toEqual(state.image());
      expect(restored.apply(deposited('c2', 'alice', 1, 4), 6)).toBe(true);
      expect(restored.isNewOrigin({ source: 'bank#1', offset: 3, index: 2 })).toBe(false);
    });

    it('writes an image taken earlier as it was, whatever the state did since', () => {
      const { live } = runLive(100);
      const [before, text] = [live.image(), live.serialize()];
      decideBatch(domain, live, [envelope('later', 'alice', { type: 'deposit', amount: 7 }), envelope('new', 'erin', { type: 'deposit', amount: 1 })]);
      expect(live.serialize()).not.toBe(text);
      expect([...imageText(before)].join('')).toBe(text);
      expect(PartitionState.deserialize(domain, 100, text, before.lastOffset).image()).toEqual(before);
      expect(JSON.parse(text)).toEqual({
        aggregates: before.aggregates,
        claim: 0,
        consumedOffset: before.consumedOffset,
        dedupe: expect.objectContaining({ clock: before.dedupe.clock }),
        format: IMAGE_FORMAT,
        origins: [],
        unsent: before.unsent,
      });
    });

    it('refuses to deserialize an image of the format before (one dedupe window, no format): it would be misread', () => {
      const image = JSON.parse(bookkept().serialize()) as Record<string, unknown>;
      delete image.format;
      image.dedupe = [['c1', { ok: true, reply: null }]];
      expect(() => PartitionState.deserialize(domain, 10, JSON.stringify(image), 5)).toThrow(`not a partition image of format ${IMAGE_FORMAT} (it says null)`);
    });

    it('forgets on replay from an image what the live state forgot after it was taken', () => {
      const limits = { perRequester: 100, horizonMs: 1_500 };
      const { live, log } = runLive(limits);
      const midway = replay(log.slice(0, 10), limits);
      const resumed = PartitionState.deserialize(domain, limits, midway.serialize(), midway.lastOffset);
      log.forEach((record, offset) => offset > resumed.lastOffset && resumed.apply(record, offset));
      expect(resumed.hash()).toBe(live.hash());
      expect(live.dedupe.outcomeOf('d1')).toBeUndefined();
      expect(live.dedupe.outcomeOf('d3')).toBeDefined();
    });

    it.each(['null', '{}', '{"aggregates":[]}', '5'])('refuses to deserialize %s', (text) =>
      expect(() => PartitionState.deserialize(domain, 100, text, 0)).toThrow('not a partition image'));

    it.each(['claim', 'origins', 'unsent'])('refuses to deserialize an image without %s', (key) => {
      const image = JSON.parse(bookkept().serialize()) as Record<string, unknown>;
      delete image[key];
      expect(() => PartitionState.deserialize(domain, 10, JSON.stringify(image), 5)).toThrow('not a partition image');
    });

    it('starts at offset -1 and empty', () =>
      expect(new PartitionState(domain, 10).image()).toEqual({
        lastOffset: -1,
        consumedOffset: -1,
        claim: -1,
        aggregates: [],
        dedupe: { clock: null, forgotten: [], outcomes: [] },
        origins: [],
        unsent: [],
      }));
  });

  describe('hash', () => {
    const outcome = { ok: true as const, reply: null };
    /** A deposit that the dedupe memory keeps nothing of: only its aggregate changes. */
    const forgotten = (aggregateId: string, amount: number) => deposited(`d-${aggregateId}`, aggregateId, amount, -1, { forget: true });
    const answered = (commandId: string, result: Outcome): OutcomeRecord => ({ type: 'outcome', claim: -1, commandId, aggregateId: 'alice', events: [], outcome: result });

    it('does not depend on the order aggregates were first touched', () => {
      const one = new PartitionState(domain, 10);
      one.fold(forgotten('alice', 1));
      one.fold(forgotten('bob', 2));
      const other = new PartitionState(domain, 10);
      other.fold(forgotten('bob', 2));
      other.fold(forgotten('alice', 1));
      expect(one.image().aggregates).not.toEqual(other.image().aggregates);
      expect(one.hash()).toBe(other.hash());
    });

    it('depends on aggregate content', () => {
      const one = new PartitionState(domain, 10);
      one.fold(forgotten('alice', 1));
      const other = new PartitionState(domain, 10);
      other.fold(forgotten('alice', 2));
      expect(one.hash()).not.toBe(other.hash());
    });

    it('depends on dedupe content', () => {
      const empty = new PartitionState(domain, 10);
      const one = new PartitionState(domain, 10);
      one.fold(answered('c1', outcome));
      const other = new PartitionState(domain, 10);
      other.fold(answered('c1', { ok: false, rejection: { code: 'x', message: 'x' } }));
      expect(new Set([empty.hash(), one.hash(), other.hash()]).size).toBe(3);
    });

    it('depends on the origins applied', () => {
      const hashWith = (...origins: [string, number, number][]) => {
        const state = new PartitionState(domain, 10);
        for (const [source, offset, index] of origins) state.fold({ ...answered(`${source}@${offset}.${index}`, outcome), origin: { source, offset, index }, forget: true });
        return state.hash();
      };
      const hashes = [hashWith(), hashWith(['bank#1', 3, 0]), hashWith(['bank#1', 3, 1]), hashWith(['bank#2', 3, 0])];
      expect(new Set(hashes).size).toBe(4);
      expect(hashWith(['bank#1', 3, 0], ['bank#2', 1, 0])).toBe(hashWith(['bank#2', 1, 0], ['bank#1', 3, 0]));
    });

    it('leaves the offset out', () => {
      const state = claimedAt(0);
      const before = state.hash();
      state.apply({ type: 'checkpoint', claim: 0, stateHash: before }, 41);
      expect(state.lastOffset).toBe(41);
      expect(state.hash()).toBe(before);
    });

    it('leaves the claim and the unsent outboxes out', () => {
      const base = claimedAt(0).image();
      const other = new PartitionState(domain, 10, { ...base, claim: 9, unsent: [{ offset: 3, outbox: [credit('bob', 'd1', 1)] }] });
      expect(other.image()).not.toEqual(base);
      expect(other.hash()).toBe(new PartitionState(domain, 10, base).hash());
    });
  });

  describe('apply', () => {
    it('folds the events, remembers the outcome and tracks the offset', () => {
      const state = claimedAt(0);
      const outcome = { ok: true as const, reply: { balance: 5, held: 0 } };
      state.apply({ ...deposited('d1', 'alice', 5, 0), outcome }, 1);
      state.apply({ type: 'outcome', claim: 0, commandId: 'x1', aggregateId: 'bob', events: [], outcome: { ok: false, rejection: { code: 'c', message: 'm' } } }, 4);
      expect(state.aggregate('alice')).toEqual({ balance: 5, holds: {} });
      expect(state.aggregateView.has('bob')).toBe(false);
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
