import { Snapshot } from '../ports/snapshot-store';
import { accountsDomain, InMemoryEngineWorld, InMemorySnapshotStore } from '@app/engine/testing';

/** Holds every save until `open` is called. */
class GatedSnapshotStore extends InMemorySnapshotStore {
  private opened!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.opened = resolve));
  saving = 0;

  open(): void {
    this.opened();
  }

  override async save(snapshot: Snapshot): Promise<void> {
    this.saving++;
    await this.gate;
    await super.save(snapshot);
  }
}

const TEST_MS = 20_000;

describe('PartitionEngine planned stop on in-memory ports', () => {
  let world: InMemoryEngineWorld;

  beforeEach(() => {
    world = new InMemoryEngineWorld('accounts');
  });

  afterEach(() => world.stopAll());

  it(
    'snapshots every partition on the checkpoint it appends last, leaves the group, and the next owner starts from there',
    async () => {
      const accounts = [world.aggregateOn(0, 'zero'), world.aggregateOn(1, 'one')];
      // Nothing due by count or time while it runs: only the stop snapshots.
      const first = await world.serving(
        world.startEngine(accountsDomain(), { name: 'first', options: { snapshotEveryRecords: 10_000, snapshotEveryMs: 60_000 } }),
      );
      for (const account of accounts)
        for (let amount = 1; amount <= 3; amount++) expect(await world.request(account, { type: 'deposit', amount })).toMatchObject({ ok: true });
      for (const partition of [0, 1]) expect(await world.snapshots.latest(world.eventsTopic, partition, 10)).toEqual([]);

      await first.engine.stop();

      expect(first.engine.status()).toEqual([]);
      for (const partition of [0, 1]) {
        const snapshots = await world.snapshots.latest(world.eventsTopic, partition, 10);
        const last = world.log(partition).at(-1)!;
        expect(snapshots.map((snapshot) => snapshot.lastOffset)).toEqual([last.offset]);
        expect(last.record.type).toBe('checkpoint');
        expect(snapshots[0].checkpoint).toBe(JSON.stringify(last.record));
      }

      const next = await world.serving(world.startEngine(accountsDomain(), { name: 'next' }));
      for (const partition of [0, 1]) {
        // Only its own claim to replay.
        expect(world.statusOf(next, partition)).toMatchObject({ lastSnapshotOffset: world.logEnd(partition) - 2, replay: { total: 1 } });
      }
      for (const account of accounts)
        expect(await world.request(account, { type: 'deposit', amount: 10 })).toEqual({ ok: true, reply: { balance: 16, held: 0 } });
    },
    TEST_MS,
  );

  it(
    'leaves the group once its images are taken, not once they are saved: the next owner serves while the snapshots are still being written',
    async () => {
      const snapshots = new GatedSnapshotStore();
      const first = await world.serving(
        world.startEngine(accountsDomain(), {
          name: 'first',
          snapshots,
          // Longer than the test: a stop that waited for its saves before leaving would hold the next owner past it.
          options: { snapshotEveryRecords: 10_000, snapshotEveryMs: 60_000, stopSnapshotTimeoutMs: 60_000 },
        }),
      );
      const account = world.aggregateOn(0, 'account');
      for (let amount = 1; amount <= 3; amount++) expect(await world.request(account, { type: 'deposit', amount })).toMatchObject({ ok: true });
      const last = world.logEnd(0) - 1;

      const stopped = first.engine.stop();
      const next = await world.serving(world.startEngine(accountsDomain(), { name: 'next', snapshots }));

      expect(snapshots.saving).toBe(2);
      expect(await world.request(account, { type: 'deposit', amount: 10 })).toEqual({ ok: true, reply: { balance: 16, held: 0 } });
      snapshots.open();
      await stopped;
      expect((await snapshots.latest(world.eventsTopic, 0, 10)).map((snapshot) => snapshot.lastOffset)).toEqual([last + 1]);
      expect(world.log(0)[last + 1].record.type).toBe('checkpoint');
      expect(world.statusOf(next, 0)?.phase).toBe('serving');
    },
    TEST_MS,
  );

  it(
    'loses and doubles no command across a planned stop: the next owner goes on where it ended, each command answered once',
    async () => {
      const account = world.aggregateOn(0, 'account');
      const first = await world.serving(world.startEngine(accountsDomain(), { name: 'first' }));
      const sent = Array.from({ length: 50 }, () => world.send(account, { type: 'deposit', amount: 1 }));

      await first.engine.stop();
      await world.serving(world.startEngine(accountsDomain(), { name: 'next' }));

      const balances = await Promise.all(sent.map(async (commandId) => world.reply(commandId)));
      expect(balances.map((outcome) => (outcome.ok ? (outcome.reply as { balance: number }).balance : outcome.rejection.code))).toEqual(
        sent.map((_, index) => index + 1),
      );
      expect(sent.every((commandId) => world.replies(commandId).length === 1)).toBe(true);
    },
    TEST_MS,
  );
});
