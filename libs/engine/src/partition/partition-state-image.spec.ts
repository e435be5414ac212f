import { decideBatch } from './decide-batch';
import { IMAGE_FORMAT, imageText, PartitionState } from './partition-state';
import { claimedAt, credit, deposited, domain, envelope, OutcomeRecord, replay, roundTrip, runLive } from './partition-state.testing';
import { Outcome } from './records';

describe('PartitionState', () => {
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
      expect(Object.fromEntries(restored.aggregateStates)).toEqual(Object.fromEntries(live.aggregateStates));
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
      expect(() => PartitionState.deserialize(domain, 100, text, 0)).toThrow('not a partition image'),
    );

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
    const answered = (commandId: string, result: Outcome): OutcomeRecord => ({
      type: 'outcome',
      claim: -1,
      commandId,
      aggregateId: 'alice',
      events: [],
      outcome: result,
    });

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
        for (const [source, offset, index] of origins)
          state.fold({ ...answered(`${source}@${offset}.${index}`, outcome), origin: { source, offset, index }, forget: true });
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
});
