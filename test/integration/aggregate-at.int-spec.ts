import { randomUUID } from 'node:crypto';
import { Account, accountsDomain } from '@app/engine/testing';
import { aggregateAt, AggregateHistorySource, DivergedError, EventStream, LogRecord, PartitionState, Snapshot } from '@app/engine';
import { KafkaCommandClient, KafkaEventStream } from '@app/kafka';
import { PostgresSnapshotStore } from '@app/postgres';
import { AccountsWorld } from '../support/accounts-fixture';
import { pollUntil } from '../support/poll';

/** One read of the events stream, as far as it got. */
interface Read {
  from: number;
  to: number;
  delivered: number;
  lastDelivered: number;
}

describe('aggregateAt: one aggregate back in time, on real Kafka and PostgreSQL', () => {
  let world: AccountsWorld;
  let store: PostgresSnapshotStore;
  let stream: EventStream;
  let reads: Read[];
  let warnings: string[];

  beforeEach(async () => {
    world = new AccountsWorld(1);
    await world.setUp();
    store = new PostgresSnapshotStore(world.dataSource!);
    ({ stream, reads } = watchedStream(world));
    warnings = [];
  });

  afterEach(() => world.tearDown());

  /**
   * The world's events stream, fetching one record batch (one append) at a time so that where a read stopped
   * shows; every read is noted.
   */
  function watchedStream(of: AccountsWorld): { stream: EventStream; reads: Read[] } {
    const inner = new KafkaEventStream({ kafka: of.kafka, admin: of.admin, eventsTopic: of.eventsTopic, readFetchBytes: 1 });
    const noted: Read[] = [];
    return {
      reads: noted,
      stream: {
        name: inner.name,
        openWriter: (partition) => inner.openWriter(partition),
        bounds: (partition) => inner.bounds(partition),
        partitionCount: (topic) => inner.partitionCount(topic),
        read: (partition, from, to, onRecords) => {
          const read: Read = { from, to, delivered: 0, lastDelivered: -1 };
          noted.push(read);
          return inner.read(partition, from, to, (records) => {
            read.delivered += records.length;
            read.lastDelivered = records[records.length - 1].offset;
            return onRecords(records);
          });
        },
      },
    };
  }

  const history = (domain = accountsDomain()): AggregateHistorySource<Account> => ({
    domain,
    stream,
    snapshots: store,
    partition: 0,
    dedupeCapacity: 10_000,
    logger: { log: () => undefined, warn: (message) => warnings.push(message), error: () => undefined },
  });

  const balanceAt = (amount: number, accountId = 'alice') => aggregateAt(history(), accountId, (account) => account.balance >= amount);

  async function serving(handle: ReturnType<AccountsWorld['startEngine']>): Promise<void> {
    await handle.start();
    await pollUntil('engine serving', () => (handle.engine.isReady() ? true : undefined)).catch((error: Error) => {
      throw new Error(`${error.message}\n${handle.logs.join('\n')}`);
    });
  }

  async function deposit(client: KafkaCommandClient, aggregateId: string, amount: number): Promise<void> {
    const outcome = await client.send(world.commandsTopic, {
      commandId: randomUUID(),
      aggregateId,
      issuedAt: Date.now(),
      command: { type: 'deposit', amount },
    });
    expect(outcome).toMatchObject({ ok: true });
  }

  /** Offsets of the outcome records of one account's commands, in log order. */
  const outcomesOf = async (accountId: string) =>
    (await world.readLog(0)).flatMap(({ offset, record }) => (record.type === 'outcome' && record.aggregateId === accountId ? [offset] : []));

  const aliceIn = (snapshot: Snapshot) => PartitionState.deserialize(accountsDomain(), 10_000, snapshot.state, snapshot.lastOffset).aggregate('alice').balance;

  it('returns the first state that reaches the point, stops reading there, and undefined for a point never reached', async () => {
    await serving(world.startEngine());
    const client = await world.client();
    for (let index = 0; index < 30; index++) {
      await deposit(client, 'alice', 1);
      // Another account on the same partition: its records are folded but never answer for alice.
      if (index % 3 === 0) await deposit(client, 'bob', 100);
    }
    const alice = await outcomesOf('alice');
    expect(alice).toHaveLength(30);

    expect(await balanceAt(10)).toEqual({ balance: 10, holds: {} });
    // From the log start (no snapshot yet), and not past the append that holds alice's tenth deposit.
    expect(reads).toHaveLength(1);
    expect(reads[0].from).toBe(0);
    expect(reads[0].lastDelivered).toBeGreaterThanOrEqual(alice[9]);
    expect(reads[0].lastDelivered).toBeLessThan(alice[10]);

    expect(await balanceAt(30)).toEqual({ balance: 30, holds: {} });
    expect(await balanceAt(1_000)).toBeUndefined();
    // Bob reached 100 with his first deposit; an account the log never mentions reaches nothing.
    expect(await balanceAt(100, 'bob')).toEqual({ balance: 100, holds: {} });
    expect(await balanceAt(1, 'nobody')).toBeUndefined();
    // Its initial state already qualifies: the first point of its history, before any record.
    expect(await balanceAt(0, 'nobody')).toEqual({ balance: 0, holds: {} });
    expect(warnings).toEqual([]);
  });

  it('starts from the newest snapshot that has not reached the point, older ones or the log start otherwise', async () => {
    const first = world.startEngine({ snapshotEveryRecords: 5, checkpointEveryRecords: 3 }, {}, 'first');
    await serving(first);
    const client = await world.client();
    for (let index = 0; index < 30; index++) await deposit(client, 'alice', 1);
    await first.engine.stop();
    // Only by record count, and too many for what follows: the snapshots stay as the first owner left them.
    await serving(world.startEngine({ snapshotEveryRecords: 1_000, snapshotEveryMs: 600_000 }, {}, 'second'));
    for (let index = 0; index < 10; index++) await deposit(client, 'alice', 1);

    const kept = await store.latest(world.eventsTopic, 0, 10);
    expect(kept).toHaveLength(3);
    const [newest, older, oldest] = kept;
    const [atNewest, atOlder, atOldest] = kept.map(aliceIn);
    // The first owner's stop wrote the newest, at its last record.
    expect(atNewest).toBe(30);
    expect(atOldest).toBeGreaterThan(0);
    expect(atOldest).toBeLessThan(atOlder);
    expect(atOlder).toBeLessThan(atNewest);
    const { end } = await stream.bounds(0);

    // After the newest snapshot: only the records since it are read, and the checkpoint it was taken on, which confirms it.
    expect(await balanceAt(35)).toEqual({ balance: 35, holds: {} });
    expect(reads.at(-1)!.from).toBe(newest.lastOffset);
    expect(reads.at(-1)!.delivered).toBeLessThanOrEqual(end - newest.lastOffset);

    // Before the newest: the newest has passed it, the older one has not.
    expect(await balanceAt(atOlder + 1)).toEqual({ balance: atOlder + 1, holds: {} });
    expect(reads.at(-1)!.from).toBe(older.lastOffset);

    // Exactly where the oldest kept one stands: every snapshot has passed it, so from the log start.
    expect(await balanceAt(atOldest)).toEqual({ balance: atOldest, holds: {} });
    expect(reads.at(-1)!.from).toBe(0);
    expect(warnings).toEqual([]);

    // A corrupted snapshot is skipped as recovery skips it: the next older one serves instead.
    await world.dataSource!.query(
      `UPDATE "partition_snapshots" SET "state_hash" = 'corrupted' WHERE "stream" = $1 AND "partition" = 0 AND "last_offset" = $2`,
      [world.eventsTopic, String(older.lastOffset)],
    );
    expect(await balanceAt(atOlder + 1)).toEqual({ balance: atOlder + 1, holds: {} });
    expect(reads.at(-1)!.from).toBe(oldest.lastOffset);
    expect(warnings).toEqual([`${world.eventsTopic}[0]: skipping snapshot at ${older.lastOffset}: state hash mismatch (corrupted)`]);
  });

  it('ignores records of a superseded claim, passes on what evolve throws, and refuses a log whose start is gone', async () => {
    const deposit = (claim: number, commandId: string, amount: number): LogRecord => ({
      type: 'outcome',
      claim,
      commandId,
      aggregateId: 'alice',
      events: [{ type: 'deposited', amount }],
      outcome: { ok: true, reply: {} },
    });
    // Owner A claims at 0 and deposits 5; B claims at 2; A, not yet aware, appends 100 that does not count; B deposits 1.
    const log: LogRecord[] = [{ type: 'claim', owner: 'a' }, deposit(0, 'a-1', 5), { type: 'claim', owner: 'b' }, deposit(0, 'a-2', 100), deposit(2, 'b-1', 1)];
    const writer = await stream.openWriter(0);
    try {
      expect(await writer.append(log.map((record) => ({ key: 'alice', value: JSON.stringify(record) })))).toBe(0);
    } finally {
      await writer.close();
    }

    expect(await balanceAt(100)).toBeUndefined();
    expect(await balanceAt(6)).toEqual({ balance: 6, holds: {} });

    const accounts = accountsDomain();
    const diverging = {
      ...accounts,
      evolve: (account: Account, event: unknown) => {
        if ((event as { amount?: number }).amount === 1) throw new DivergedError('deposit of 1 does not reproduce');
        return accounts.evolve(account, event as never);
      },
    };
    await expect(aggregateAt(history(diverging), 'alice', (account) => account.balance >= 6)).rejects.toThrow(DivergedError);

    // kafkajs's deleteTopicRecords looks the leader up in metadata it does not load itself.
    await world.admin.fetchTopicOffsets(world.eventsTopic);
    await world.admin.deleteTopicRecords({ topic: world.eventsTopic, partitions: [{ partition: 0, offset: '2' }] });
    await expect(balanceAt(6)).rejects.toThrow(`${world.eventsTopic}[0] starts at offset 2 and no usable snapshot precedes the point`);
  });
});
