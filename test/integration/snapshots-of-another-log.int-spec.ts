import { aggregateAt, PartitionEngine, PartitionState, PartitionStatus, SnapshotStore } from '@app/engine';
import { accountsDomain } from '@app/engine/testing';
import { KafkaEventStream } from '@app/kafka';
import { PostgresSnapshotStore } from '@app/postgres';
import { AccountsWorld } from '../support/accounts-fixture';
import { accountsOn, Bank, PARTITIONS, workload } from '../support/accounts-bank';
import { pollUntil } from '../support/poll';

/**
 * A database outlives its Kafka log: the broker's storage is wiped, or the topics are deleted and created again under
 * the same names, while PostgreSQL keeps the snapshots of the old log. Their offsets lie inside the new log, where
 * other records now sit; neither recovery nor time travel may take them for snapshots of it.
 */
describe('snapshots of an earlier log under the same topic names', () => {
  let world: AccountsWorld;

  beforeEach(async () => {
    world = new AccountsWorld(2);
    await world.setUp();
  });

  afterEach(() => world.tearDown());

  async function started(handle: { engine: PartitionEngine<unknown>; logs: string[]; start(): Promise<void> }) {
    await handle.start();
    await pollUntil('engine serving every partition', () =>
      handle.engine.isReady() && handle.engine.status().length === PARTITIONS.length ? true : undefined,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${handle.logs.join('\n')}`);
    });
    return handle;
  }

  /** Snapshots of the old log in the database, then a new log under the same names that runs longer than the old one. */
  async function databaseOutlivesItsLog(): Promise<{ folds: PartitionState<unknown>[]; oldSnapshots: number[][]; bank: Bank }> {
    const oldBank = new Bank(world, await world.client(0));
    const old = await started(world.startEngine({ snapshotEveryRecords: 5, checkpointEveryRecords: 3 }, {}, 'old-log'));
    await workload(oldBank, 'old');
    await oldBank.settled();
    await old.engine.stop();
    const oldSnapshots = await Promise.all(PARTITIONS.map((partition) => snapshotOffsets(partition)));
    for (const offsets of oldSnapshots) expect(offsets.length).toBeGreaterThan(0);

    await world.recreateTopics();
    // The new log's owner saves no snapshot, so the old ones stay the newest the database has, as after a wipe.
    const bank = new Bank(world, await world.client(1));
    const remembersNothing: SnapshotStore = { save: async () => undefined, latest: async () => [], prune: async () => undefined };
    const current = await started(world.startEngine({ snapshotEveryRecords: 5, checkpointEveryRecords: 3 }, {}, 'new-log', { snapshots: remembersNothing }));
    for (const tag of ['new-1', 'new-2']) await workload(bank, tag);
    const folds = await bank.settled();
    await current.engine.stop();
    const ends = await Promise.all(PARTITIONS.map(async (partition) => (await world.readLog(partition)).at(-1)!.offset));
    // Without that, the old offsets would lie past the new log's end and be refused for a simpler reason.
    PARTITIONS.forEach((partition) => expect(ends[partition]).toBeGreaterThan(oldSnapshots[partition][0]));
    return { folds, oldSnapshots, bank };
  }

  async function snapshotOffsets(partition: number): Promise<number[]> {
    const rows: { last_offset: string }[] = await world.dataSource!.query(
      `SELECT "last_offset" FROM "partition_snapshots" WHERE "stream" = $1 AND "partition" = $2 ORDER BY "last_offset" DESC`,
      [world.eventsTopic, partition],
    );
    return rows.map((row) => Number(row.last_offset));
  }

  it('recovery refuses them, names why, and serves exactly what the new log holds', async () => {
    const { folds, oldSnapshots, bank } = await databaseOutlivesItsLog();

    const next = await started(world.startEngine({}, {}, 'next-owner'));
    const statusOf = (partition: number): PartitionStatus => next.engine.status().find((status) => status.partition === partition)!;
    await pollUntil('memory equal to the new log', async () => {
      const now = await Promise.all(PARTITIONS.map((partition) => world.foldLog(partition)));
      return PARTITIONS.every((partition) => next.engine.fingerprint(partition)?.hash === now[partition].hash()) ? true : undefined;
    });
    for (const partition of PARTITIONS) {
      expect(next.engine.fingerprint(partition)?.hash).toBe((await world.foldLog(partition)).hash());
      expect(statusOf(partition).lastSnapshotOffset).toBeNull();
      for (const offset of oldSnapshots[partition]) {
        expect(next.logs).toContainEqual(
          expect.stringContaining(
            `${world.eventsTopic}[${partition}]: skipping snapshot at ${offset}: the log refutes it: the log holds another record at offset ${offset}`,
          ),
        );
      }
    }
    expect(folds.map((state) => state.hash())).toEqual(
      (await Promise.all(PARTITIONS.map((partition) => world.foldLog(partition)))).map((state) => state.hash()),
    );
    // Still exactly once: a retry of the new log's first deposit gets its first outcome.
    const [account] = accountsOn(0, 1, 'new-1');
    expect(await bank.send(account, { type: 'deposit', amount: 100 }, `dep-${account}`)).toEqual({ ok: true, reply: { balance: 100, held: 0 } });
  });

  it('time travel refuses them too and rebuilds from the new log', async () => {
    await databaseOutlivesItsLog();
    const [account] = accountsOn(0, 1, 'new-2');
    const warnings: string[] = [];
    const stream = new KafkaEventStream({ kafka: world.kafka, admin: world.admin, eventsTopic: world.eventsTopic });
    const source = {
      domain: accountsDomain() as never,
      stream,
      snapshots: new PostgresSnapshotStore(world.dataSource!),
      partition: 0,
      dedupeCapacity: 10_000,
      logger: { log: () => undefined, warn: (message: string) => warnings.push(message), error: () => undefined },
    };
    // The account's first deposit in the new log: 100, where the old log's snapshots know no such account.
    const state = await aggregateAt<{ balance: number }>(source, account, (candidate) => candidate.balance > 0);
    expect(state).toMatchObject({ balance: 100 });
    expect(warnings).toContainEqual(expect.stringContaining('the log refutes it: the log holds another record at offset'));
  });
});
