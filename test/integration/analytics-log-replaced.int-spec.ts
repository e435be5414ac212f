import { Admin, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import {
  AnalyticsReadModels,
  EventsProjector,
  PartitionState,
  projectedTopicNames,
  projectionProgress,
  ProjectionStore,
  REBUILD_READ_MODELS_SQL,
} from '@app/analytics';
import { LogRecord } from '@app/engine';
import { eventsTopicOf } from '@app/kafka';
import { dataSourceOptions } from '@app/postgres';
import { OwnDatabase, ownDatabase } from '../support/own-database';
import { pollUntil } from '../support/poll';
import { provisionedTopics } from '../support/provisioned-topics';
import { randomSuffix } from '../support/random-names';
import { testKafka } from '../support/test-kafka';

const T0 = Date.UTC(2026, 11, 6, 5, 34);
const claim = (owner: string): LogRecord => ({ v: 1, type: 'claim', owner });
const outcome = (commandId: string, aggregateId: string, events: unknown[]): LogRecord => ({
  v: 1,
  type: 'outcome',
  claim: 0,
  commandId,
  aggregateId,
  events,
  eventsVersion: 1,
  outcome: { ok: true, reply: null },
  issuedAt: T0,
});
/** A partition's log as an owner writes it: a claim, then `grants` grants of 1 gold, named by `log` ('old' or 'new'). */
const grantsLog = (log: string, partition: number, grants: number): LogRecord[] => [
  claim(`${log}-owner`),
  ...Array.from({ length: grants }, (_, index) =>
    outcome(`${log}:${partition}:${index}`, `${log}-p${partition}`, [{ type: 'granted', grantId: `${log}-${index}`, gold: 1, items: {} }]),
  ),
];

/**
 * A deployment reset while its database is kept: the events topics are deleted and created again under the same
 * names, so the positions stored in PostgreSQL belong to logs that no longer exist. The projection must not skip the
 * new logs' first records as "projected before": each such partition stops and says so, until the read models are
 * rebuilt with the documented statement, which then counts every record of the new logs.
 */
describe('analytics: an events topic replaced under the same name', () => {
  let database: OwnDatabase;
  let dataSource: DataSource;
  let store: ProjectionStore;
  let readModels: AnalyticsReadModels;
  let topics: Awaited<ReturnType<typeof provisionedTopics>>;
  let producer: Producer;
  let admin: Admin;
  const running: EventsProjector[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    database = await ownDatabase('log_replaced');
    const url = database.url;
    dataSource = await new DataSource(dataSourceOptions(url)).initialize();
    store = new ProjectionStore(dataSource);
    readModels = new AnalyticsReadModels(dataSource);
    topics = await provisionedTopics(2);
    producer = testKafka(`${topics.prefix}writer`).producer();
    admin = testKafka(`${topics.prefix}admin`).admin();
    await Promise.all([producer.connect(), admin.connect()]);
  });

  afterAll(async () => {
    await Promise.all(running.map((projector) => projector.stop()));
    await producer?.disconnect();
    await admin?.disconnect();
    await topics?.remove();
    await dataSource?.destroy();
    await database?.drop();
  });

  const inventoryTopic = () => eventsTopicOf(topics.prefix, 'inventory');
  const zoneTopic = () => eventsTopicOf(topics.prefix, 'zone');

  async function write(topic: string, partition: number, records: LogRecord[]): Promise<void> {
    await producer.send({ topic, messages: records.map((record) => ({ partition, value: JSON.stringify(record) })) });
  }

  async function startProjector(): Promise<EventsProjector> {
    const projector = new EventsProjector({
      kafka: testKafka(`${topics.prefix}analytics`),
      store,
      topicPrefix: topics.prefix,
      sessionTimeoutMs: 6_000,
      partitionsAtOnce: 2,
      log: { log: () => undefined, warn: () => undefined, error: (message) => errors.push(message) },
    });
    running.push(projector);
    await projector.start();
    return projector;
  }

  async function stopProjector(projector: EventsProjector): Promise<void> {
    running.splice(running.indexOf(projector), 1);
    await projector.stop();
  }

  const stateOf = async (topic: string, partition: number): Promise<PartitionState | undefined> =>
    (await store.partitions([topic])).find((entry) => entry.partition === partition);

  const projectedTo = (topic: string, partition: number, nextOffset: number) =>
    pollUntil(`${topic}[${partition}] projected to ${nextOffset}`, async () =>
      (await stateOf(topic, partition))?.position.nextOffset === nextOffset ? true : undefined,
    );

  const stopped = (topic: string, partition: number) => pollUntil(`${topic}[${partition}] stopped`, async () => (await stateOf(topic, partition))?.stopped);

  const commandIdsProjected = async (): Promise<string[]> =>
    (await dataSource.query(`SELECT "command_id" FROM "analytics_player_events" ORDER BY "id"`)).map((row: { command_id: string }) => row.command_id);

  it('stops each replaced partition with an error instead of skipping the new log, and projects it all after a rebuild', async () => {
    await write(inventoryTopic(), 0, grantsLog('old', 0, 9));
    await write(inventoryTopic(), 1, grantsLog('old', 1, 9));
    const first = await startProjector();
    await projectedTo(inventoryTopic(), 0, 10);
    await projectedTo(inventoryTopic(), 1, 10);
    await stopProjector(first);
    expect((await readModels.economy()).gold.granted).toBe(18);

    await topics.recreate();
    // Partition 0's new log is longer than the old one (another record at offset 9); partition 1's ends before 10.
    await write(inventoryTopic(), 0, grantsLog('new', 0, 19));
    await write(inventoryTopic(), 1, grantsLog('new', 1, 2));
    const second = await startProjector();
    expect(await stopped(inventoryTopic(), 0)).toMatch(/^log replaced: the record at offset 9 is not the one projected there/);
    expect(await stopped(inventoryTopic(), 1)).toMatch(/^log replaced: it ends at offset 3, before the 10 offsets projected/);
    const progress = await projectionProgress(await store.partitions(projectedTopicNames(topics.prefix)), admin, topics.prefix, (error) => {
      throw error;
    });
    expect(progress.partitions.filter(({ topic }) => topic === inventoryTopic())).toEqual([
      { topic: inventoryTopic(), partition: 0, nextOffset: 10, endOffset: 20, error: expect.stringMatching(/^log replaced/) },
      { topic: inventoryTopic(), partition: 1, nextOffset: 10, endOffset: 3, error: expect.stringMatching(/^log replaced/) },
    ]);
    expect(errors.join('\n')).toMatch(/\[0\]: projection stopped: log replaced: .*rebuild them/);
    await stopProjector(second);
    // Nothing of the new logs counted, nor taken as done: the positions are where the old logs left them.
    expect((await commandIdsProjected()).filter((commandId) => commandId.startsWith('new:'))).toEqual([]);
    expect((await readModels.economy()).gold.granted).toBe(18);

    await dataSource.query(REBUILD_READ_MODELS_SQL);
    const third = await startProjector();
    await projectedTo(inventoryTopic(), 0, 20);
    await projectedTo(inventoryTopic(), 1, 3);
    await stopProjector(third);
    expect((await readModels.economy()).gold.granted).toBe(21);
    expect(await commandIdsProjected()).toHaveLength(21);
    expect((await store.partitions([inventoryTopic()])).map(({ stopped: reason }) => reason)).toEqual([undefined, undefined]);
  });

  it('stops a partition whose records up to past the stored position were deleted, instead of looping on the gap', async () => {
    const ticks = (from: number, count: number) =>
      Array.from({ length: count }, (_, index) => outcome(`tick:z:${from + index}`, 'z', [{ type: 'ticked', tick: from + index, hash: 'h' }]));
    await write(zoneTopic(), 1, [claim('zone-owner'), ...ticks(1, 4)]);
    const first = await startProjector();
    await projectedTo(zoneTopic(), 1, 5);
    await stopProjector(first);

    await write(zoneTopic(), 1, ticks(5, 10));
    // kafkajs's admin finds the partition's leader only in metadata it has loaded.
    await admin.fetchTopicMetadata({ topics: [zoneTopic()] });
    await admin.deleteTopicRecords({ topic: zoneTopic(), partitions: [{ partition: 1, offset: '12' }] });
    const second = await startProjector();
    expect(await stopped(zoneTopic(), 1)).toMatch(/^records deleted: the log starts at offset 12, past the stored position 5/);
    await stopProjector(second);
    expect((await stateOf(zoneTopic(), 1))?.position.nextOffset).toBe(5);
  });

  describe('the store, batch by batch', () => {
    const batch = (log: string, count: number) =>
      grantsLog(log, 0, count).map((record, offset) => ({ offset, timestamp: 0, value: Buffer.from(JSON.stringify(record)) }));

    it('stops a partition when a batch read again from before its position holds another record there (replaced while projecting)', async () => {
      const topic = `it-events-${randomSuffix()}`;
      expect(await store.project('inventory', topic, 0, 0, batch('old', 5))).toMatchObject({ kind: 'projected', read: 6 });
      // Kafka answered the old fetch offset out of range and the consumer started the new log over from 0.
      const replaced = { kind: 'stopped', reason: expect.stringMatching(/^log replaced: the record at offset 5 is not the one projected there/) };
      expect(await store.project('inventory', topic, 0, 0, batch('new', 9))).toEqual(replaced);
      expect(await store.project('inventory', topic, 0, 6, batch('new', 9).slice(6))).toEqual(replaced);
      expect(await stateOf(topic, 0)).toMatchObject({ position: { nextOffset: 6 }, stopped: expect.stringMatching(/^log replaced/) });
      const projected = await dataSource.query(`SELECT "offset" FROM "analytics_player_events" WHERE "topic" = $1 ORDER BY "offset"`, [topic]);
      expect(projected.map((row: { offset: string }) => Number(row.offset))).toEqual([1, 2, 3, 4, 5]);
    });

    it('keeps a record of a newer events version unprojected and says so, until a version that reads it projects it', async () => {
      const topic = `it-events-${randomSuffix()}`;
      const newer = { ...outcome('newer', 'p', [{ type: 'granted', grantId: 'n', gold: 1, items: {} }]), eventsVersion: 2 };
      const records = [...batch('old', 2), { offset: 3, timestamp: 0, value: Buffer.from(JSON.stringify(newer)) }];
      expect(await store.project('inventory', topic, 0, 0, records)).toMatchObject({ kind: 'projected', read: 3, refused: { offset: 3 } });
      expect(await stateOf(topic, 0)).toMatchObject({ position: { nextOffset: 3 }, refused: expect.stringMatching(/events of version 2/) });
    });
  });
});
