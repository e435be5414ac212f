import { createHash } from 'node:crypto';
import { accountsDomain, InMemoryEngineWorld, InMemorySnapshotStore, poll } from '@app/engine/testing';
import { Snapshot } from '../ports/snapshot-store';

const TEST_MS = 20_000;
const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

describe('PartitionEngine recovery on in-memory ports', () => {
  let world: InMemoryEngineWorld;
  let account: string;

  beforeEach(() => {
    world = new InMemoryEngineWorld('accounts');
    account = world.aggregateOn(0, 'account');
  });

  afterEach(() => world.stopAll());

  /** 12 deposits of 1..12, one batch each, under an owner that snapshots often; returns the snapshots of partition 0, newest first. */
  async function depositsSnapshotted(): Promise<Snapshot[]> {
    const first = await world.serving(world.startEngine(accountsDomain(), { name: 'first', options: { snapshotEveryRecords: 4, checkpointEveryRecords: 3 } }));
    for (let amount = 1; amount <= 12; amount++) expect(await world.request(account, { type: 'deposit', amount })).toMatchObject({ ok: true });
    await first.engine.stop();
    const snapshots = await world.snapshots.latest(world.eventsTopic, 0, 10);
    expect(snapshots.length).toBeGreaterThanOrEqual(3);
    expect(new Set(snapshots.map((snapshot) => snapshot.stateHash)).size).toBe(snapshots.length);
    return snapshots;
  }

  /** The same snapshot holding another one's state, hashed as stored: it loads, but it is not what its checkpoint says. */
  const holding = (snapshot: Snapshot, other: Snapshot): Snapshot => ({ ...snapshot, state: other.state, stateHash: sha256(other.state) });

  const refuted = (offset: number) =>
    expect.stringMatching(new RegExp(`skipping snapshot at ${offset}: the log refutes it: its state hashes to \\w+, the checkpoint it was taken on says`));

  it(
    'sets aside a snapshot the log refutes and recovers from an older one plus the records after it',
    async () => {
      const [newest, older] = await depositsSnapshotted();
      await world.snapshots.save(holding(newest, older));
      const end = world.logEnd(0);

      const second = await world.serving(world.startEngine(accountsDomain(), { name: 'second' }));

      expect(second.logs).toContainEqual(refuted(newest.lastOffset));
      expect(world.statusOf(second, 0)).toMatchObject({ lastSnapshotOffset: older.lastOffset, replay: { total: end - older.lastOffset } });
      expect(await world.request(account, { type: 'deposit', amount: 100 })).toEqual({ ok: true, reply: { balance: 178, held: 0 } });
    },
    TEST_MS,
  );

  it(
    'replays the whole log when the log refutes every snapshot, without calling it a divergence',
    async () => {
      const snapshots = await depositsSnapshotted();
      // Each holds the next one's state (the oldest the newest's): every one loads, none is what the log says.
      for (const [index, snapshot] of snapshots.entries()) await world.snapshots.save(holding(snapshot, snapshots[(index + 1) % snapshots.length]));
      const end = world.logEnd(0);

      const second = await world.serving(world.startEngine(accountsDomain(), { name: 'second' }));

      for (const snapshot of snapshots) expect(second.logs).toContainEqual(refuted(snapshot.lastOffset));
      expect(world.statusOf(second, 0)).toMatchObject({ lastSnapshotOffset: null, replay: { total: end + 1 } });
      expect(second.logs.filter((line) => line.includes('DIVERGED'))).toEqual([]);
      expect(await world.request(account, { type: 'deposit', amount: 100 })).toEqual({ ok: true, reply: { balance: 178, held: 0 } });
    },
    TEST_MS,
  );

  it(
    'recovers the same state from the snapshots as from the whole log',
    async () => {
      await depositsSnapshotted();
      const fromSnapshot = await world.serving(world.startEngine(accountsDomain(), { name: 'from-snapshot' }));
      expect(world.statusOf(fromSnapshot, 0)?.lastSnapshotOffset).not.toBeNull();
      const viaSnapshot = fromSnapshot.engine.fingerprint(0);
      await fromSnapshot.engine.stop();

      const wholeLog = await world.serving(world.startEngine(accountsDomain(), { name: 'whole-log', snapshots: new InMemorySnapshotStore() }));

      expect(world.statusOf(wholeLog, 0)).toMatchObject({ lastSnapshotOffset: null, replay: { total: world.logEnd(0) } });
      // Each owner's claim moves the log on, which the hash does not cover: the state it folded does.
      expect(wholeLog.engine.fingerprint(0)?.hash).toBe(viaSnapshot?.hash);
      expect(await world.request(account, { type: 'deposit', amount: 100 })).toEqual({ ok: true, reply: { balance: 178, held: 0 } });
    },
    TEST_MS,
  );

  it(
    'recovers a log whose beginning was deleted from a snapshot inside it, and without one refuses to serve what it cannot rebuild',
    async () => {
      const [newest] = await depositsSnapshotted();
      world.topics.deleteBefore(world.eventsTopic, 0, newest.lastOffset);

      const second = await world.serving(world.startEngine(accountsDomain(), { name: 'second' }));
      expect(world.statusOf(second, 0)?.lastSnapshotOffset).toBe(newest.lastOffset);
      expect(await world.request(account, { type: 'deposit', amount: 100 })).toEqual({ ok: true, reply: { balance: 178, held: 0 } });
      await second.engine.stop();

      const third = await world.startEngine(accountsDomain(), { name: 'third', snapshots: new InMemorySnapshotStore() });
      const status = await poll(
        () => `partition 0 to fail\n${third.logs.join('\n')}`,
        () => (world.statusOf(third, 0)?.error ? world.statusOf(third, 0) : undefined),
        5_000,
        5,
      );
      expect(status?.error).toMatch(new RegExp(`starts at offset ${newest.lastOffset} and no snapshot the log confirms covers the gap`));
      expect(status?.phase).not.toBe('serving');
      expect(third.engine.isReady()).toBe(false);
    },
    TEST_MS,
  );
});
