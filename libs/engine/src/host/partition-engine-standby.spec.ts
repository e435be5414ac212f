import { accountsDomain, InMemoryEngineWorld, InMemorySnapshotStore, poll } from '@app/engine/testing';

const TEST_MS = 20_000;

describe('PartitionEngine warm standbys on in-memory ports', () => {
  let world: InMemoryEngineWorld;

  beforeEach(() => (world = new InMemoryEngineWorld('accounts')));
  afterEach(() => world.stopAll());

  it(
    'given a standby following a partition another engine owns, when that owner is expelled, then recovery replays only what came after the standby and ends where a whole-log replay does',
    async () => {
      const owner = await world.serving(world.startEngine(accountsDomain(), { name: 'owner' }));
      const standby = await world.startEngine(accountsDomain(), { name: 'standby', options: { warmStandby: true } });
      await world.serving(standby, 1);
      await world.serving(owner, 1);
      const [followed] = owner.engine.status().map(({ partition }) => partition);
      const account = world.aggregateOn(followed, 'account');
      for (let amount = 1; amount <= 20; amount++) expect(await world.request(account, { type: 'deposit', amount })).toMatchObject({ ok: true });
      const end = world.logEnd(followed);
      await poll(
        () => `the standby at ${end - 1} (${JSON.stringify(standby.engine.standbyStatus())})`,
        () => (standby.engine.standbyStatus().some(({ partition, lastOffset }) => partition === followed && lastOffset === end - 1) ? true : undefined),
        5_000,
        10,
      );

      world.group.expel(owner.feed);
      await world.serving(standby, 2);

      // The new claim is the one record after the standby's last fold.
      expect(standby.logs).toContainEqual(
        expect.stringContaining(`[${followed}]: claimed at offset ${end}; replaying offsets ${end}..${end} after the warm standby (1 to do)`),
      );
      expect(standby.engine.standbyStatus()).toEqual([]);
      expect(await world.request(account, { type: 'deposit', amount: 100 })).toEqual({ ok: true, reply: { balance: 310, held: 0 } });
      const warm = standby.engine.fingerprint(followed);
      await standby.engine.stop();
      const whole = await world.serving(world.startEngine(accountsDomain(), { name: 'whole-log', snapshots: new InMemorySnapshotStore() }));
      expect(whole.engine.fingerprint(followed)?.hash).toBe(warm?.hash);
    },
    TEST_MS,
  );

  it(
    'given an engine started with standbys while another owns every partition, then it joins the group only once they are warm: the partitions it takes replay only what came after them',
    async () => {
      const owner = await world.serving(world.startEngine(accountsDomain(), { name: 'owner' }));
      for (let amount = 1; amount <= 10; amount++) {
        expect(await world.request(world.aggregateOn(amount % 2, 'account'), { type: 'deposit', amount })).toMatchObject({ ok: true });
      }
      const joining = await world.startEngine(accountsDomain(), { name: 'joining', options: { warmStandby: true } });
      await world.serving(joining, 1);
      await world.serving(owner, 1);

      const claims = joining.logs.filter((line) => line.includes(': claimed at offset'));
      expect(claims.length).toBeGreaterThan(0);
      for (const claim of claims) expect(claim).toContain('after the warm standby');
    },
    TEST_MS,
  );

  it(
    'given standbys off (the default), then an engine follows nothing',
    async () => {
      const first = await world.serving(world.startEngine(accountsDomain(), { name: 'first' }));
      const second = await world.serving(world.startEngine(accountsDomain(), { name: 'second' }), 1);
      await world.serving(first, 1);
      expect([...first.engine.standbyStatus(), ...second.engine.standbyStatus()]).toEqual([]);
    },
    TEST_MS,
  );
});
