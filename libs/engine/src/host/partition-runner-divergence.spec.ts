import { AggregateDomain } from '../domain/aggregate-domain';
import { accept } from '../domain/decision';
import { sha256 } from '../partition/canonical-json';
import { PartitionState } from '../partition/partition-state';
import { LogRecord } from '../partition/records';
import { poll } from '../ports/contract-tests.testing';
import { Snapshot } from '../ports/snapshot-store';
import { InMemoryEventStream } from '../testing/in-memory-event-stream';
import { InMemorySnapshotStore } from '../testing/in-memory-snapshot-store';
import { InMemoryTopics } from '../testing/in-memory-topics';
import { DEFAULT_ENGINE_OPTIONS, dedupeLimitsOf } from './engine-options';
import { PartitionRunner } from './partition-runner';

type Counter = { count: number };
type Added = { type: 'added'; by: number };

/** A counter: enough of a domain for states that differ and hashes that tell them apart. */
const counters: AggregateDomain<Counter, { by: number }, Added, number> = {
  service: 'counters',
  schemaVersion: 1,
  initial: () => ({ count: 0 }),
  parseCommand: (payload) => ({ ok: true, command: payload as { by: number } }),
  decide: (command, counter) => accept([{ type: 'added', by: command.by }], counter.count + command.by),
  evolve: (counter, event) => ({ count: counter.count + event.by }),
};
const EVENTS = 'counters.events';
const CLAIM = 0;

const added = (commandId: string, by: number): LogRecord => ({
  type: 'outcome',
  claim: CLAIM,
  commandId,
  aggregateId: 'c',
  events: [{ type: 'added', by } satisfies Added],
  outcome: { ok: true, reply: null },
});

/** Folds `records` (from offset 0) into a new partition, checking nothing, as a buggy owner's memory could hold them. */
function folded(records: LogRecord[]): PartitionState<Counter> {
  const state = new PartitionState(counters, dedupeLimitsOf(DEFAULT_ENGINE_OPTIONS));
  records.forEach((record, offset) => state.apply(record, offset, false));
  return state;
}
const checkpoint = (state: PartitionState<Counter>, id: string): LogRecord => ({ type: 'checkpoint', claim: CLAIM, stateHash: state.hash(), id });

/**
 * A log whose owner once held a wrong memory: it added 20 where the log says 2, wrote a checkpoint of that memory at
 * offset 4 and took a snapshot on it (which the log confirms: same checkpoint, same hash). Its next owner, replaying
 * the whole log, wrote a correct checkpoint at 6. `lastHash` replaces that one's hash, to make the whole log wrong too.
 */
async function loggedWithWrongSnapshot(lastHash?: string): Promise<{ topics: InMemoryTopics; snapshots: InMemorySnapshotStore; correctHash: string }> {
  const head: LogRecord[] = [{ type: 'claim', owner: 'earlier' }, added('one', 1)];
  head.push(checkpoint(folded(head), 'c0'));
  const wrongMemory = folded([...head, added('two', 20)]);
  const c1 = checkpoint(wrongMemory, 'c1');
  const log = [...head, added('two', 2), c1, added('three', 3)];
  const correct = folded(log);
  log.push({ type: 'checkpoint', claim: CLAIM, stateHash: lastHash ?? correct.hash(), id: 'c2' });

  const topics = new InMemoryTopics();
  topics.create(EVENTS, 1);
  topics.append(
    EVENTS,
    0,
    log.map((record) => ({ key: '', value: JSON.stringify(record) })),
  );
  wrongMemory.apply(c1, 4, false);
  const text = wrongMemory.serialize();
  const snapshot: Snapshot = {
    stream: EVENTS,
    partition: 0,
    lastOffset: 4,
    schemaVersion: 1,
    stateHash: sha256(text),
    state: text,
    checkpoint: JSON.stringify(c1),
  };
  const snapshots = new InMemorySnapshotStore();
  await snapshots.save(snapshot);
  return { topics, snapshots, correctHash: correct.hash() };
}

/** A runner of partition 0 that logs into `logs`, started; `settled` waits until it serves or gave up. */
function started({ topics, snapshots }: { topics: InMemoryTopics; snapshots: InMemorySnapshotStore }) {
  const logs: string[] = [];
  const runner = new PartitionRunner(0, {
    domain: counters as AggregateDomain<Counter, unknown, unknown, unknown>,
    stream: new InMemoryEventStream(topics, EVENTS),
    snapshots,
    commandsTopic: () => 'counters.commands',
    changesTopic: 'counters.changes',
    options: DEFAULT_ENGINE_OPTIONS,
    logger: { log: (line) => logs.push(line), warn: (line) => logs.push(`warn ${line}`), error: (line) => logs.push(`error ${line}`) },
    now: () => 0,
    rewind: () => undefined,
    stillOwned: () => Promise.resolve(true),
    owner: 'test',
  });
  runner.start();
  const settled = () =>
    poll(
      () => `the runner to serve or diverge (${runner.currentPhase})\n${logs.join('\n')}`,
      () => (runner.currentPhase === 'serving' || runner.currentPhase === 'diverged' ? runner.currentPhase : undefined),
      5_000,
      5,
    );
  return { runner, logs, settled };
}

describe('PartitionRunner: a divergence found replaying from a snapshot', () => {
  const wholeLogRetries = (logs: string[]) => logs.filter((line) => line.includes('replaying the whole log without a snapshot'));

  it('given a snapshot the log confirms but a later checkpoint refutes, when the partition recovers, then the whole log gets its chance and it serves', async () => {
    const world = await loggedWithWrongSnapshot();

    const { runner, logs, settled } = started(world);

    expect(await settled()).toBe('serving');
    expect(wholeLogRetries(logs)).toHaveLength(1);
    // Each attempt claims: the first at 7, the whole log's at 8.
    expect(runner.status()).toMatchObject({ lastSnapshotOffset: null, replay: { total: 9 }, error: undefined });
    expect(runner.fingerprint()).toEqual({ hash: world.correctHash, lastOffset: 8 });
    await runner.release(false);
  });

  it('given the whole log diverges too, when the partition recovers, then it stops as diverged after that one chance', async () => {
    const world = await loggedWithWrongSnapshot('0'.repeat(64));

    const { runner, logs, settled } = started(world);

    expect(await settled()).toBe('diverged');
    expect(wholeLogRetries(logs)).toHaveLength(1);
    expect(logs.filter((line) => line.includes('DIVERGED'))).toHaveLength(1);
    expect(runner.status().error).toMatch(/^state hash mismatch at events offset 6/);
    await runner.release(false);
  });
});
