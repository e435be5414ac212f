import { accountsDomain, InMemoryEngineWorld, poll } from '@app/engine/testing';

const TEST_MS = 20_000;

describe('PartitionEngine outboxes on in-memory ports', () => {
  let world: InMemoryEngineWorld;

  beforeEach(() => {
    world = new InMemoryEngineWorld('accounts');
  });

  afterEach(() => world.stopAll());

  /**
   * An owner with 100 in `from` on partition 0 transfers 30 to `to` on partition 1 while the broker refuses the
   * credit (and so the whole send, reply included): the transfer counts, its outbox is not sent.
   */
  async function transferWithCreditRefused(options: { snapshotEveryMs?: number } = {}) {
    const [from, to] = [world.aggregateOn(0, 'from'), world.aggregateOn(1, 'to')];
    const owner = await world.serving(world.startEngine(accountsDomain(), { name: 'owner', options }));
    expect(await world.request(from, { type: 'deposit', amount: 100 })).toMatchObject({ ok: true });
    world.topics.refuseWrites(world.commandsTopic, { partition: 1, reason: 'broker says no' });
    const transfer = world.send(from, { type: 'transfer', to, amount: 30 });
    await poll(
      () => `the failed send\n${owner.logs.join('\n')}`,
      () => (owner.logs.some((line) => line.includes('broker says no')) ? true : undefined),
      5_000,
      5,
    );
    return { from, to, owner, transfer };
  }

  it(
    'sends an outbox that failed to go out again once the partition recovers, exactly once, and the log learns it was sent',
    async () => {
      const { from, to, owner, transfer } = await transferWithCreditRefused({ snapshotEveryMs: 100 });
      const transferOffset = world.log(0).find(({ record }) => record.type === 'outcome' && record.commandId === transfer)?.offset;
      expect(transferOffset).toBeDefined();
      expect(world.replies(transfer)).toEqual([]);
      expect(world.commandsOn(1)).toEqual([]);

      world.topics.acceptWrites(world.commandsTopic);
      await world.serving(owner);

      // The client retries the transfer: answered from the log, not applied again.
      expect(await world.request(from, { type: 'transfer', to, amount: 30 }, { commandId: transfer })).toEqual({ ok: true, reply: { balance: 70, held: 0 } });
      expect(await world.request(to, { type: 'deposit', amount: 1 })).toEqual({ ok: true, reply: { balance: 31, held: 0 } });
      const credits = world.commandsOn(1).filter((command) => command.commandId === `${transfer}:credit`);
      expect(credits.map((command) => command.origin)).toEqual([{ source: `${world.eventsTopic}#0`, offset: transferOffset, index: 0 }]);
      await poll(
        'outbox-sent in the log',
        () => (world.log(0).some(({ record }) => record.type === 'outbox-sent' && record.through >= transferOffset!) ? true : undefined),
        5_000,
        5,
      );

      // A next owner finds nothing left to send.
      await owner.engine.stop();
      await world.serving(world.startEngine(accountsDomain(), { name: 'next' }));
      expect(await world.request(to, { type: 'deposit', amount: 1 })).toEqual({ ok: true, reply: { balance: 32, held: 0 } });
      expect(world.commandsOn(1).filter((command) => command.commandId === `${transfer}:credit`)).toHaveLength(1);
    },
    TEST_MS,
  );

  it(
    'has a next owner send the outbox a failed owner never sent, exactly once',
    async () => {
      const { from, to, owner, transfer } = await transferWithCreditRefused();

      // The owner loses the partition while it cannot send; told so by the group, it stays down.
      world.group.expel(owner.feed);
      await poll(
        'the owner told it lost the partition',
        () => (owner.feed.ownershipAnswers.some(({ partition, owned }) => partition === 0 && !owned) ? true : undefined),
        5_000,
        5,
      );
      world.topics.acceptWrites(world.commandsTopic);
      const next = await world.serving(world.startEngine(accountsDomain(), { name: 'next' }));

      expect(await world.request(from, { type: 'transfer', to, amount: 30 }, { commandId: transfer })).toEqual({ ok: true, reply: { balance: 70, held: 0 } });
      expect(await world.request(to, { type: 'deposit', amount: 1 })).toEqual({ ok: true, reply: { balance: 31, held: 0 } });
      expect(world.commandsOn(1).filter((command) => command.commandId === `${transfer}:credit`)).toHaveLength(1);
      expect(world.statusOf(owner, 0)?.phase).toBe('failed');
      expect(next.logs.filter((line) => line.startsWith('error'))).toEqual([]);
    },
    TEST_MS,
  );
});
