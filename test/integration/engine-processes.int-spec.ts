import { PartitionState } from '@app/engine';
import { KafkaCommandClient } from '@app/kafka';
import { AckedLoad } from '../support/acked-load';
import { AccountsWorld } from '../support/accounts-fixture';
import { pollUntil } from '../support/poll';
import { testBrokers, testDatabaseUrl } from '../support/test-env';
import { WorkerProcess, WorkerStatus } from '../support/worker-process';

const PARTITIONS = 4;
const ACCOUNTS = Array.from({ length: 12 }, (_, index) => `acct-${index}`);

/** Promises 1-5 with real worker processes: kill -9, SIGSTOP/SIGCONT, SIGTERM. */
describe('engine worker processes', () => {
  let world: AccountsWorld;
  let client: KafkaCommandClient;
  const workers: WorkerProcess[] = [];

  beforeEach(async () => {
    world = new AccountsWorld(PARTITIONS);
    await world.setUp();
    client = await world.client();
  });

  afterEach(async () => {
    for (const worker of workers.splice(0)) {
      worker.signal('SIGCONT');
      worker.signal('SIGKILL');
      await worker.exited;
    }
    await world.tearDown();
  });

  function startWorker(name: string, env: Record<string, string> = {}): WorkerProcess {
    const worker = new WorkerProcess(name, {
      KAFKA_BROKERS: testBrokers().join(','),
      DATABASE_URL: testDatabaseUrl(),
      TOPIC_PREFIX: world.prefix,
      SESSION_TIMEOUT_MS: '6000',
      SNAPSHOT_EVERY_RECORDS: '100',
      CHECKPOINT_EVERY_RECORDS: '25',
      ...env,
    });
    workers.push(worker);
    return worker;
  }

  /** Polls until the given workers together serve every partition, each exactly once. */
  async function servedBy(...candidates: WorkerProcess[]): Promise<Map<number, WorkerStatus['partitions'][number]>> {
    return pollUntil(
      `all ${PARTITIONS} partitions serving`,
      async () => {
        const statuses = await Promise.all(candidates.map((worker) => worker.status()));
        const serving = statuses.flatMap((status) => status?.partitions.filter((entry) => entry.phase === 'serving') ?? []);
        const partitions = new Set(serving.map((entry) => entry.partition));
        return partitions.size === PARTITIONS && serving.length === PARTITIONS ? new Map(serving.map((entry) => [entry.partition, entry])) : undefined;
      },
      60_000,
      200,
    );
  }

  /** The log is the truth: every acknowledged command exactly once, balances as acked, memory equal to an independent fold. */
  async function verifyAgainstLog(load: AckedLoad, serving: Map<number, WorkerStatus['partitions'][number]>, depositedOutside = 0): Promise<void> {
    const expected = load.expectedBalances();
    for (const [id, balance] of expected) expected.set(id, balance + depositedOutside);
    const balancesOf = (states: PartitionState<unknown>[]) => {
      const balances = new Map<string, number>();
      for (const state of states) for (const [id, account] of state.aggregateStates) balances.set(id, (account as { balance: number }).balance);
      return balances;
    };
    const foldAll = () => Promise.all(Array.from({ length: PARTITIONS }, (_, partition) => world.foldLog(partition)));
    const settled = await pollUntil(
      'every transfer credit folded in',
      async () => {
        const states = await foldAll();
        const balances = balancesOf(states);
        return ACCOUNTS.every((id) => (balances.get(id) ?? 0) === expected.get(id)) ? states : undefined;
      },
      30_000,
      500,
    ).catch(() => undefined);
    const logs = await Promise.all(Array.from({ length: PARTITIONS }, (_, partition) => world.readLog(partition)));
    const seen = new Map<string, number>();
    for (const { record } of logs.flat()) if (record.type === 'outcome') seen.set(record.commandId, (seen.get(record.commandId) ?? 0) + 1);
    const ackedIds = load.acked.map((entry) => entry.commandId);
    expect(ackedIds.filter((id) => seen.get(id) !== 1)).toEqual([]);
    const credits = load.acked.filter((entry) => entry.command.type === 'transfer' && entry.outcome.ok).map((entry) => `${entry.commandId}:credit`);
    expect(credits.length).toBeGreaterThan(10);
    expect(credits.filter((id) => seen.get(id) !== 1)).toEqual([]);
    const folds = settled ?? (await foldAll());
    expect(Object.fromEntries(balancesOf(folds))).toEqual(Object.fromEntries(expected));
    // An owner may still append (say, that its last outboxes went out): compare memory with the log as it is then.
    const mismatches = async () => {
      const [owners, current] = await Promise.all([servedBy(...workers.filter((worker) => worker.alive)), foldAll()]);
      return current.flatMap((state, partition) => {
        const expected = { hash: state.hash(), lastOffset: state.lastOffset };
        const actual = owners.get(partition)?.fingerprint;
        return JSON.stringify(actual) === JSON.stringify(expected) ? [] : [{ partition, actual, expected }];
      });
    };
    const remaining = await pollUntil('memory equal to the log', async () => ((await mismatches()).length === 0 ? [] : undefined), 30_000, 500).catch(() =>
      mismatches(),
    );
    expect(remaining).toEqual([]);
    expect(serving.size).toBe(PARTITIONS);
  }

  it('kill -9 under load: every acknowledged command applied exactly once, state equal to the log', async () => {
    let worker = startWorker('w1');
    await servedBy(worker);
    const load = new AckedLoad(client, world.commandsTopic, ACCOUNTS);
    load.start(8);
    for (let round = 1; round <= 3; round++) {
      const target = load.acked.length + 40 + round * 7;
      await pollUntil(`${target} acknowledgements`, () => (load.acked.length >= target ? true : undefined), 60_000);
      worker.signal('SIGKILL');
      await worker.exited;
      worker = startWorker(`w${round + 1}`);
    }
    const target = load.acked.length + 40;
    await pollUntil(`${target} acknowledgements`, () => (load.acked.length >= target ? true : undefined), 60_000);
    await load.drain();
    await verifyAgainstLog(load, await servedBy(worker));
    expect(worker.output).toMatch(/serving after/);
  });

  it('transfers across partitions owned by two workers stay exactly once while either side is killed', async () => {
    const pair = [startWorker('left-1'), startWorker('right-1')];
    await pollUntil(
      'both workers serving',
      async () => {
        const statuses = await Promise.all(pair.map((worker) => worker.status()));
        const counts = statuses.map((status) => status?.partitions.filter((entry) => entry.phase === 'serving').length ?? 0);
        return counts.every((count) => count > 0) && counts[0] + counts[1] === PARTITIONS ? true : undefined;
      },
      60_000,
    );
    const load = new AckedLoad(client, world.commandsTopic, ACCOUNTS);
    load.start(8);
    for (const [round, side] of [0, 1, 0, 1].entries()) {
      const target = load.acked.length + 45;
      await pollUntil(`${target} acknowledgements`, () => (load.acked.length >= target ? true : undefined), 60_000);
      pair[side].signal('SIGKILL');
      await pair[side].exited;
      pair[side] = startWorker(`${side === 0 ? 'left' : 'right'}-${round + 2}`);
    }
    const target = load.acked.length + 40;
    await pollUntil(`${target} acknowledgements`, () => (load.acked.length >= target ? true : undefined), 60_000);
    await load.drain();
    await verifyAgainstLog(load, await servedBy(...pair));
  });

  it('a SIGSTOPped owner is fenced: after SIGCONT it commits nothing and gives its partitions up', async () => {
    const zombie = startWorker('zombie', { HOLD_SWEEP_MS: '200' });
    await servedBy(zombie);
    const survivor = startWorker('survivor', { HOLD_SWEEP_MS: '200' });
    const load = new AckedLoad(client, world.commandsTopic, ACCOUNTS);
    load.start(4);
    await pollUntil(
      'both workers serving',
      async () => {
        const [a, b] = await Promise.all([zombie.status(), survivor.status()]);
        const serving = (status?: WorkerStatus) => status?.partitions.filter((entry) => entry.phase === 'serving').length ?? 0;
        return serving(a) > 0 && serving(b) > 0 && serving(a) + serving(b) === PARTITIONS ? true : undefined;
      },
      60_000,
    );
    // Holds that expire while the zombie sleeps: its timer will try to commit their expiry after SIGCONT.
    for (const account of ACCOUNTS) {
      await client.send(world.commandsTopic, {
        commandId: `hold-${account}`,
        aggregateId: account,
        issuedAt: Date.now(),
        command: { type: 'deposit', amount: 5 },
      });
      await client.send(world.commandsTopic, {
        commandId: `hold2-${account}`,
        aggregateId: account,
        issuedAt: Date.now(),
        command: { type: 'hold', holdId: 'h', amount: 5, ttlMs: 1_500 },
      });
    }
    zombie.signal('SIGSTOP');
    await servedBy(survivor);
    const acksWhileStopped = load.acked.length;
    await pollUntil('more acknowledgements from the survivor', () => (load.acked.length > acksWhileStopped + 20 ? true : undefined), 60_000);
    const beforeContinue = zombie.output.length;
    zombie.signal('SIGCONT');
    // Its timer tries to commit hold expiries for partitions the survivor claimed: that append lands after the
    // survivor's claim, so it does not count, and the zombie drops those partitions.
    await pollUntil(
      'the zombie to notice it was fenced',
      () => (/fenced, waiting for the group/.test(zombie.output.slice(beforeContinue)) ? true : undefined),
      60_000,
    );
    await pollUntil('more acknowledgements after SIGCONT', () => (load.acked.length > acksWhileStopped + 60 ? true : undefined), 60_000);
    await load.drain();
    expect(zombie.alive).toBe(true);
    await verifyAgainstLog(load, await servedBy(zombie, survivor), 5);
  });

  it('SIGTERM drains: exit 0, nothing lost or doubled, the other worker takes over without a session timeout', async () => {
    // A session timeout far longer than the wait below: only a clean leave can move the partitions in time.
    const env = { SESSION_TIMEOUT_MS: '45000' };
    const leaving = startWorker('leaving', env);
    await servedBy(leaving);
    const staying = startWorker('staying', env);
    await pollUntil(
      'both workers serving',
      async () => {
        const [a, b] = await Promise.all([leaving.status(), staying.status()]);
        const serving = (status?: WorkerStatus) => status?.partitions.filter((entry) => entry.phase === 'serving').length ?? 0;
        return serving(a) > 0 && serving(b) > 0 && serving(a) + serving(b) === PARTITIONS ? true : undefined;
      },
      60_000,
    );
    const load = new AckedLoad(client, world.commandsTopic, ACCOUNTS);
    load.start(8);
    await pollUntil('load flowing', () => (load.acked.length > 50 ? true : undefined), 60_000);
    leaving.signal('SIGTERM');
    expect(await leaving.exited).toEqual({ code: 0, signal: null });
    const serving = await pollUntil(
      'the staying worker owns everything',
      async () => {
        const status = await staying.status();
        return status?.partitions.filter((entry) => entry.phase === 'serving').length === PARTITIONS ? status : undefined;
      },
      15_000,
    );
    await load.drain();
    expect(leaving.output).toMatch(/SIGTERM: draining[\s\S]*stopped/);
    await verifyAgainstLog(load, new Map(serving.partitions.map((entry) => [entry.partition, entry])));
  });
});
