import { accountsDomain, InMemoryEngineWorld, InMemorySnapshotStore, poll } from '@app/engine/testing';

const TEST_MS = 20_000;

describe('PartitionEngine fencing on in-memory ports', () => {
  let world: InMemoryEngineWorld;

  beforeEach(() => {
    world = new InMemoryEngineWorld('accounts');
  });

  afterEach(() => world.stopAll());

  it(
    "stops counting an owner's appends once a newer owner claimed the partition: it is fenced, never replies, and replay ignores what it wrote",
    async () => {
      const account = world.aggregateOn(0, 'account');
      const first = await world.serving(world.startEngine(accountsDomain(), { name: 'first' }));
      expect(await world.request(account, { type: 'deposit', amount: 5 })).toEqual({ ok: true, reply: { balance: 5, held: 0 } });

      // The group drops the first owner without its hearing of it: it still fetches its partitions, as a paused process would on waking.
      world.group.expel(first.feed);
      const second = await world.serving(world.startEngine(accountsDomain(), { name: 'second' }));
      const claims = world.log(0).flatMap(({ offset, record }) => (record.type === 'claim' ? [offset] : []));
      expect(claims).toHaveLength(2);

      // Both owners decide it; only the second's append counts.
      const contested = world.send(account, { type: 'deposit', amount: 10 });
      await poll(
        () => `the first owner fenced\n${first.logs.join('\n')}`,
        () => (world.statusOf(first, 0)?.phase === 'fenced' ? true : undefined),
        5_000,
        5,
      );
      expect(await world.reply(contested)).toEqual({ ok: true, reply: { balance: 15, held: 0 } });
      const outcomes = world.log(0).flatMap(({ record }) => (record.type === 'outcome' && record.commandId === contested ? [record.claim] : []));
      expect(outcomes.sort((a, b) => a - b)).toEqual(claims);
      expect(world.replies(contested)).toHaveLength(1);
      expect(world.statusOf(second, 0)?.phase).toBe('serving');
      // Asked, the group says the partition is not the first owner's: it stays fenced rather than claiming it back.
      await poll('the first owner to ask the group', () => (first.feed.ownershipAnswers.some(({ partition }) => partition === 0) ? true : undefined), 5_000, 5);
      expect(first.feed.ownershipAnswers).toEqual([{ partition: 0, owned: false }]);
      // A command through the second owner, after which a claim the first made on hearing the answer would be in the log.
      expect(await world.request(account, { type: 'deposit', amount: 1 })).toEqual({ ok: true, reply: { balance: 16, held: 0 } });
      expect(world.statusOf(first, 0)?.phase).toBe('fenced');
      expect(world.log(0).filter(({ record }) => record.type === 'claim')).toHaveLength(2);

      await second.engine.stop();
      await first.engine.stop();
      // A third owner folds the whole log (no snapshots): the fenced owner's outcome is there, and does not count.
      await world.serving(world.startEngine(accountsDomain(), { name: 'third', snapshots: new InMemorySnapshotStore() }));
      expect(await world.request(account, { type: 'deposit', amount: 100 })).toEqual({ ok: true, reply: { balance: 116, held: 0 } });
    },
    TEST_MS,
  );
});
