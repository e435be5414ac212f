import { packOutcome, RecentOutcomes, unpackRecentOutcomes } from './recent-outcomes';
import { Outcome } from './records';

const ok = (reply: unknown): Outcome => ({ ok: true, reply });
const limits = { horizonMs: 1_000, perRequester: 3 };
const roundTrip = (outcomes: RecentOutcomes) =>
  new RecentOutcomes(outcomes.limits, JSON.parse(JSON.stringify(outcomes.image())) as ReturnType<RecentOutcomes['image']>);

/** Given a memory, when commands are remembered at times, then ... */
function given(steps: [issuedAt: number, commandId: string, requester: string][], bounds = limits) {
  const outcomes = new RecentOutcomes(bounds);
  steps.forEach(([issuedAt, commandId, requester]) => {
    outcomes.advance(issuedAt);
    outcomes.remember(commandId, ok(commandId), requester);
  });
  return outcomes;
}

describe('RecentOutcomes', () => {
  it("keeps one requester's outcomes however many others came after, within the count bound", () => {
    const outcomes = given([
      [100, 'alice:1', 'alice'],
      ...Array.from({ length: 50 }, (_, index): [number, string, string] => [101 + index, `p${index}:x`, `p${index}`]),
    ]);
    expect(outcomes.outcomeOf('alice:1')).toEqual(ok('alice:1'));
    expect(outcomes.expired('alice', 100)).toBe(false);
  });

  it('forgets an outcome once a command issued more than the horizon later is logged', () => {
    const outcomes = given([
      [100, 'alice:1', 'alice'],
      [1_100, 'bob:1', 'bob'],
    ]);
    expect(outcomes.outcomeOf('alice:1')).toEqual(ok('alice:1'));
    outcomes.advance(1_101);
    expect(outcomes.outcomeOf('alice:1')).toBeUndefined();
    expect(outcomes.outcomeOf('bob:1')).toEqual(ok('bob:1'));
    expect(outcomes.size).toBe(1);
  });

  it('never moves its clock back: a late command does not bring old outcomes back or shorten the horizon', () => {
    const outcomes = given([
      [5_000, 'alice:1', 'alice'],
      [3_000, 'bob:1', 'bob'],
    ]);
    expect(outcomes.clock).toBe(5_000);
    expect(outcomes.image().outcomes.map(([, , at]) => at)).toEqual([5_000, 5_000]);
  });

  it("forgets a requester's oldest past its count bound, and nobody else's", () => {
    const outcomes = given([
      [100, 'alice:1', 'alice'],
      [101, 'bob:1', 'bob'],
      [102, 'alice:2', 'alice'],
      [103, 'alice:3', 'alice'],
      [104, 'alice:4', 'alice'],
    ]);
    expect(outcomes.outcomeOf('alice:1')).toBeUndefined();
    expect(['alice:2', 'alice:3', 'alice:4', 'bob:1'].map((id) => outcomes.outcomeOf(id) !== undefined)).toEqual([true, true, true, true]);
  });

  describe('expired', () => {
    it('is true for a retry first sent before the horizon', () => {
      const outcomes = given([[10_000, 'bob:1', 'bob']]);
      expect(outcomes.expired('alice', 8_999)).toBe(true);
      expect(outcomes.expired('alice', 9_000)).toBe(false);
    });

    it('is false before any time is known', () => expect(new RecentOutcomes(limits).expired('alice', 0)).toBe(false));

    it('is true for a retry no later than the newest outcome its requester lost to the count bound, for that requester only', () => {
      const outcomes = given([
        [100, 'alice:1', 'alice'],
        [200, 'alice:2', 'alice'],
        [300, 'alice:3', 'alice'],
        [400, 'alice:4', 'alice'],
      ]);
      expect(outcomes.expired('alice', 100)).toBe(true);
      expect(outcomes.expired('alice', 101)).toBe(false);
      expect(outcomes.expired('bob', 100)).toBe(false);
    });

    it('drops the mark of a requester once all its outcomes are past the horizon (the horizon covers it)', () => {
      const outcomes = given([
        [100, 'alice:1', 'alice'],
        [200, 'alice:2', 'alice'],
        [300, 'alice:3', 'alice'],
        [400, 'alice:4', 'alice'],
      ]);
      outcomes.advance(1_401);
      expect(outcomes.image()).toEqual({ clock: 1_401, forgotten: [], outcomes: [] });
      expect(outcomes.expired('alice', 400)).toBe(true);
    });
  });

  it('keeps the place and overwrites the outcome of an id remembered again', () => {
    const outcomes = given([[100, 'a', 'alice']]);
    outcomes.advance(500);
    outcomes.remember('a', ok(9), 'alice');
    expect(outcomes.image().outcomes).toEqual([['alice', 'a', 100, ok(9)]]);
  });

  it('stamps outcomes remembered before any time with the first time that comes', () => {
    const outcomes = new RecentOutcomes(limits);
    outcomes.remember('old', ok(0), 'alice');
    outcomes.advance(7_000);
    expect(outcomes.image().outcomes).toEqual([['alice', 'old', 7_000, ok(0)]]);
  });

  describe('image and digest', () => {
    const busy = () =>
      given([
        [100, 'alice:1', 'alice'],
        [150, 'bob:1', 'bob'],
        [200, 'alice:2', 'alice'],
        [300, 'alice:3', 'alice'],
        [400, 'alice:4', 'alice'],
        [1_180, 'carol:1', 'carol'],
      ]);

    it('survive JSON into a new memory that behaves the same', () => {
      const live = busy();
      const restored = roundTrip(live);
      expect(restored.image()).toEqual(live.image());
      expect(restored.contentDigest()).toBe(live.contentDigest());
      for (const memory of [live, restored]) {
        memory.advance(1_250);
        memory.remember('bob:2', ok(7), 'bob');
      }
      expect(restored.image()).toEqual(live.image());
      expect(restored.contentDigest()).toBe(live.contentDigest());
      expect(restored.expired('alice', 200)).toBe(live.expired('alice', 200));
    });

    it('digest depends on the clock, the outcomes and the marks, not on the order entries came in', () => {
      const digests = new Set([
        busy().contentDigest(),
        given([[100, 'a', 'x']]).contentDigest(),
        given([[101, 'a', 'x']]).contentDigest(),
        given([[100, 'a', 'y']]).contentDigest(),
        given([
          [100, 'a', 'x'],
          [100, 'b', 'x'],
          [100, 'c', 'x'],
          [100, 'd', 'x'],
        ]).contentDigest(),
      ]);
      expect(digests.size).toBe(5);
      const one = given([
        [100, 'a', 'x'],
        [100, 'b', 'y'],
      ]);
      const other = given([
        [100, 'b', 'y'],
        [100, 'a', 'x'],
      ]);
      expect(one.image()).not.toEqual(other.image());
      expect(one.contentDigest()).toBe(other.contentDigest());
    });
  });

  it('stays bounded under a long run: only the horizon and the count bound decide what is kept', () => {
    const outcomes = new RecentOutcomes({ horizonMs: 1_000, perRequester: 5 });
    for (let index = 0; index < 100_000; index++) {
      outcomes.advance(index);
      outcomes.remember(`c${index}`, ok(index), `p${index % 7}`);
    }
    expect(outcomes.size).toBe(35);
    expect(outcomes.outcomeOf('c99999')).toEqual(ok(99_999));
  });

  it.each([
    [{ horizonMs: 1_000, perRequester: 0 }, 'per requester'],
    [{ horizonMs: 0, perRequester: 1 }, 'retry horizon'],
  ])('refuses limits %j', (bounds, message) => expect(() => new RecentOutcomes(bounds)).toThrow(message));
});

describe('packed outcomes (snapshot text)', () => {
  const clock = 10_000;
  const cases: [string, Parameters<typeof packOutcome>[0]][] = [
    ['a refusal under its requester prefix', ['p_a', 'p_a:c1', 9_000, { ok: false, rejection: { code: 'insufficient_gold', message: 'have 3 gold' } }]],
    ['a success kept without reply', ['p_a', 'p_a:c2', 10_000, { ok: true, reply: null }]],
    ['a success with its reply', ['zone-1', 'zone-1:x', 9_999, { ok: true, reply: [1, { a: 2 }] }]],
    ['an id without the prefix', ['p_a', 'grant:p_a:g1', 1, { ok: true, reply: { gold: 1 } }]],
    ['an id that looks like a bare suffix', ['p_a', ':odd', 2, { ok: true, reply: null }]],
  ];

  it.each(cases)('give back %s exactly', (_name, remembered) => {
    const text = JSON.stringify({ clock, forgotten: [['p_a', 5]], outcomes: [packOutcome(remembered, clock)] });
    expect(unpackRecentOutcomes(JSON.parse(text))).toEqual({ clock, forgotten: [['p_a', 5]], outcomes: [remembered] });
  });

  it('leave out the requester prefix and the epoch of the time', () =>
    expect(packOutcome(cases[0][1], clock)).toEqual(['p_a', 'c1', 1_000, ['insufficient_gold', 'have 3 gold']]));

  it.each([null, {}, { clock: 'x', forgotten: [], outcomes: [] }, { clock: 1, forgotten: [], outcomes: [[1, 'a', 0, null]] }])('refuse %j', (value) =>
    expect(() => unpackRecentOutcomes(value)).toThrow('not a partition image'),
  );
});
