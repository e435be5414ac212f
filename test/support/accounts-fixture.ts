import { Admin, Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { Account, accountsDomain, AccountsOptions } from '@app/engine/testing';
import { EngineOptions, EventStream, LogRecord, PartitionEngine, PartitionState, SnapshotStore } from '@app/engine';
import { changesTopicOf, commandsTopicOf, eventsTopicOf, KafkaCommandClient, kafkaEnginePorts } from '@app/kafka';
import { dataSourceOptions, migrate, PostgresSnapshotStore } from '@app/postgres';
import { readCountedLog } from './counted-log';
import { pollUntil } from './poll';
import { randomName } from './random-names';
import { testDatabaseUrl } from './test-env';
import { testKafka } from './test-kafka';

export const SERVICE = 'accounts';

/** One isolated world for engine tests: its own topics, group, reply topic; shared broker and database. */
export class AccountsWorld {
  readonly prefix = `${randomName('eng')}-`;
  readonly kafka: Kafka = testKafka(this.prefix);
  readonly admin: Admin = this.kafka.admin();
  readonly commandsTopic = commandsTopicOf(this.prefix, SERVICE);
  readonly eventsTopic = eventsTopicOf(this.prefix, SERVICE);
  readonly changesTopic = changesTopicOf(this.prefix, SERVICE);
  readonly replyTopic = `${this.prefix}replies`;
  dataSource?: DataSource;
  private readonly cleanups: (() => Promise<unknown>)[] = [];

  constructor(readonly partitions = 2) {}

  async setUp(): Promise<void> {
    await this.admin.connect();
    await this.admin.createTopics({ waitForLeaders: true, topics: [...this.serviceTopics(), { topic: this.replyTopic, numPartitions: 4 }] });
    await migrate(testDatabaseUrl());
    this.dataSource = await new DataSource(dataSourceOptions(testDatabaseUrl())).initialize();
  }

  private serviceTopics() {
    const events = [
      { name: 'retention.ms', value: '-1' },
      { name: 'retention.bytes', value: '-1' },
    ];
    return [
      { topic: this.commandsTopic, numPartitions: this.partitions },
      { topic: this.eventsTopic, numPartitions: this.partitions, configEntries: events },
      { topic: this.changesTopic, numPartitions: this.partitions },
    ];
  }

  /** Deletes the service's topics and creates them again under the same names, as a wiped broker would have them: the database keeps its snapshots. */
  async recreateTopics(): Promise<void> {
    const topics = this.serviceTopics();
    await this.admin.deleteTopics({ topics: topics.map(({ topic }) => topic) });
    const names = new Set(topics.map(({ topic }) => topic));
    // Deletion completes in the background; a name still being deleted cannot be created yet.
    await pollUntil('the topics deleted', async () => ((await this.admin.listTopics()).some((topic) => names.has(topic)) ? undefined : true), 30_000, 200);
    expect(await this.admin.createTopics({ waitForLeaders: true, topics })).toBe(true);
  }

  /** An engine on this world's topics; `snapshots` defaults to the world's database, `wrapStream` lets a test stand between the engine and its events stream. */
  startEngine(
    options: Partial<EngineOptions> = {},
    domainOptions: AccountsOptions = {},
    name = randomName('engine'),
    {
      snapshots,
      wrapStream = (stream) => stream,
      view,
    }: { snapshots?: SnapshotStore; wrapStream?: (stream: EventStream) => EventStream; view?: (accountId: string, account: Account) => unknown } = {},
  ) {
    const logs: string[] = [];
    const at = () => new Date().toISOString().slice(17, 23);
    const logger = {
      log: (message: string) => logs.push(`${at()} ${name} log ${message}`),
      warn: (message: string) => logs.push(`${at()} ${name} warn ${message}`),
      error: (message: string) => logs.push(`${at()} ${name} error ${message}`),
    };
    const ports = kafkaEnginePorts({ kafka: this.kafka, admin: this.admin, topicPrefix: this.prefix, service: SERVICE, sessionTimeoutMs: 6_000 });
    const engine = new PartitionEngine({
      domain: { ...accountsDomain(domainOptions), view },
      ...ports,
      stream: wrapStream(ports.stream),
      snapshots: snapshots ?? new PostgresSnapshotStore(this.dataSource!),
      logger,
      options,
    });
    this.cleanups.push(() => engine.stop());
    return { engine, logs, start: () => engine.start() };
  }

  /** Runs `cleanup` on tearDown, before the world's topics go (newest first). */
  onTearDown(cleanup: () => Promise<unknown>): void {
    this.cleanups.push(cleanup);
  }

  async client(replyPartition = 0): Promise<KafkaCommandClient> {
    const client = new KafkaCommandClient({ kafka: this.kafka, admin: this.admin, replyTopic: this.replyTopic, replyPartition });
    await client.start();
    this.cleanups.push(() => client.stop());
    return client;
  }

  /** The records of one events partition that count, in order (see readCountedLog). */
  readLog(partition: number): Promise<{ offset: number; record: LogRecord }[]> {
    return readCountedLog(this.kafka, this.admin, this.eventsTopic, partition);
  }

  /** Folds the committed events of one partition from offset 0, independently of any engine. */
  async foldLog(partition: number, dedupeCapacity = 10_000): Promise<PartitionState<unknown>> {
    const state = new PartitionState<unknown>(accountsDomain() as never, dedupeCapacity);
    for (const { offset, record } of await this.readLog(partition)) state.apply(record, offset);
    return state;
  }

  async tearDown(): Promise<void> {
    for (const cleanup of this.cleanups.reverse()) await cleanup().catch(() => undefined);
    await this.dataSource?.destroy();
    await this.admin.deleteTopics({ topics: [this.commandsTopic, this.eventsTopic, this.replyTopic, this.changesTopic] }).catch(() => undefined);
    await this.admin.disconnect();
  }
}
