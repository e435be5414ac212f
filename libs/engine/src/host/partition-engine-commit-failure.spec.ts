import { accountsFailingOnceOnDeposit, InMemoryEngineWorld } from '@app/engine/testing';

const TEST_MS = 20_000;

describe('PartitionEngine when a commit fails after deciding, on in-memory ports', () => {
  let world: InMemoryEngineWorld;

  beforeEach(() => {
    world = new InMemoryEngineWorld('accounts');
  });

  afterEach(() => world.stopAll());

  it(
    'drops the memory the batch changed and recovers, when the domain throws counting events for the snapshot schedule',
    async () => {
      const domain = accountsFailingOnceOnDeposit(13);
      const account = world.aggregateOn(0, 'account');
      const owner = await world.serving(world.startEngine(domain, { name: 'owner' }));

      // Not decided again on memory the log never got: recovered, the deposit is applied once, and answered.
      expect(await world.request(account, { type: 'deposit', amount: 13 })).toEqual({ ok: true, reply: { balance: 13, held: 0 } });
      expect(await world.request(account, { type: 'deposit', amount: 1 })).toEqual({ ok: true, reply: { balance: 14, held: 0 } });
      expect(owner.logs.join('\n')).toContain('counting failed');
    },
    TEST_MS,
  );
});
