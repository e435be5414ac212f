import { AggregateDomain } from '../domain/aggregate-domain';
import { EngineOptions } from '../host/engine-options';
import { PartitionEngine, PartitionEngineDeps } from '../host/partition-engine';
import { PartitionStatus } from '../host/partition-status';
import { CommandEnvelope, LogRecord, Outcome, ReplyRecord } from '../partition/records';
import { SnapshotStore } from '../ports/snapshot-store';
import { poll } from '../ports/contract-tests.testing';
import { InMemoryCommandFeed, InMemoryConsumerGroup } from './in-memory-command-feed';
import { InMemoryEventStream } from './in-memory-event-stream';
import { InMemorySnapshotStore } from './in-memory-snapshot-store';
import { InMemoryTopics } from './in-memory-topics';

/** Bound of every wait here: in memory, anything that takes longer is a failure. */
const WAIT_MS = 5_000;

export interface EngineHandle<S> {
  name: string;
  engine: PartitionEngine<S>;
  /** Its member of the world's consumer group, for faults (`world.group.expel`). */
  feed: InMemoryCommandFeed;
  /** What the engine logged, as `<level> <message>` lines. */
  logs: string[];
}

export interface StartOptions {
  name?: string;
  options?: Partial<EngineOptions>;
  /** Defaults to the world's store; a fresh one makes an engine replay the whole log. */
  snapshots?: SnapshotStore;
  /** Hears the views of each batch that counts (see `PartitionEngineDeps.viewsChanged`). */
  viewsChanged?: PartitionEngineDeps<unknown, unknown, unknown, unknown>['viewsChanged'];
}

/**
 * One service's world for engine tests in the fast tier: its commands, events, changes and replies topics on one
 * in-memory broker, one consumer group, one snapshot store. Engines are started through `PartitionEngine`'s public
 * API, as the apps start them; the test talks to them as clients do, through the topics.
 */
export class InMemoryEngineWorld {
  readonly topics = new InMemoryTopics();
  readonly commandsTopic: string;
  readonly eventsTopic: string;
  readonly changesTopic: string;
  readonly replyTopic = 'test.replies';
  readonly stream: InMemoryEventStream;
  readonly group: InMemoryConsumerGroup;
  readonly snapshots = new InMemorySnapshotStore();
  private readonly engines: { stop(): Promise<void> }[] = [];
  private commands = 0;

  constructor(
    readonly service: string,
    readonly partitions = 2,
    /** The `issuedAt` of every command the test sends: the log's clock, fixed unless a test moves it. */
    public issuedAt = 1_700_000_000_000,
  ) {
    this.commandsTopic = `${service}.commands`;
    this.eventsTopic = `${service}.events`;
    this.changesTopic = `${service}.changes`;
    for (const topic of [this.commandsTopic, this.eventsTopic, this.changesTopic]) this.topics.create(topic, partitions);
    this.topics.create(this.replyTopic, 1);
    this.stream = new InMemoryEventStream(this.topics, this.eventsTopic, { readChunkRecords: 16 });
    this.group = new InMemoryConsumerGroup(this.topics, this.commandsTopic);
  }

  /** Starts an engine of `domain` on this world (not waiting for it to serve: see `serving`). */
  async startEngine<S, C, E, R>(
    domain: AggregateDomain<S, C, E, R>,
    { name = `engine-${this.engines.length + 1}`, options, snapshots, viewsChanged }: StartOptions = {},
  ): Promise<EngineHandle<S>> {
    const logs: string[] = [];
    const feed = this.group.newFeed();
    const engine = new PartitionEngine<S, C, E, R>({
      domain,
      feed,
      stream: this.stream,
      snapshots: snapshots ?? this.snapshots,
      commandsTopic: (service) => `${service}.commands`,
      changesTopic: (service) => `${service}.changes`,
      logger: {
        log: (message) => logs.push(`log ${message}`),
        warn: (message) => logs.push(`warn ${message}`),
        error: (message) => logs.push(`error ${message}`),
      },
      options,
      now: () => this.issuedAt,
      viewsChanged,
    });
    this.engines.push(engine);
    await engine.start();
    return { name, engine: engine as PartitionEngine<S>, feed, logs };
  }

  /** Waits until the engine is ready and serves `partitions` partitions (all of them by default). */
  async serving<S>(handle: EngineHandle<S> | Promise<EngineHandle<S>>, partitions = this.partitions): Promise<EngineHandle<S>> {
    const { name, engine, logs } = await handle;
    await poll(
      () =>
        `${name} serving ${partitions} partitions (status ${JSON.stringify(engine.status().map(({ partition, phase }) => [partition, phase]))})\n${logs.join('\n')}`,
      () => (engine.isReady() && engine.status().length === partitions ? true : undefined),
      WAIT_MS,
      5,
    );
    return handle;
  }

  statusOf(handle: EngineHandle<unknown>, partition: number): PartitionStatus | undefined {
    return handle.engine.status().find((status) => status.partition === partition);
  }

  /** The partition an aggregate's commands land in. */
  partitionOf(aggregateId: string): number {
    return this.topics.partitionOfKey(aggregateId, this.partitions);
  }

  /** An aggregate id starting with `tag` whose commands land in `partition`. */
  aggregateOn(partition: number, tag: string): string {
    for (let index = 0; ; index++) if (this.partitionOf(`${tag}-${index}`) === partition) return `${tag}-${index}`;
  }

  /** Appends a command for `aggregateId`, as a client sends it (asking for a reply unless told not to); returns its commandId. */
  send(
    aggregateId: string,
    command: unknown,
    { commandId = `command-${++this.commands}`, reply = true }: { commandId?: string; reply?: boolean } = {},
  ): string {
    const envelope: CommandEnvelope = { commandId, aggregateId, issuedAt: this.issuedAt, command };
    if (reply) envelope.replyTo = { topic: this.replyTopic, partition: 0 };
    this.topics.append(this.commandsTopic, this.partitionOf(aggregateId), [{ key: aggregateId, value: JSON.stringify(envelope) }]);
    return commandId;
  }

  /** Sends a command straight to an engine, as a gateway does to the partition's owner, and resolves with its answer. */
  submit<S>(handle: EngineHandle<S>, aggregateId: string, command: unknown, { commandId = `command-${++this.commands}` }: { commandId?: string } = {}) {
    const envelope: CommandEnvelope = { commandId, aggregateId, issuedAt: this.issuedAt, command };
    return handle.engine.submit(this.partitionOf(aggregateId), envelope);
  }

  /** Sends a command and waits for its reply's outcome. */
  request(aggregateId: string, command: unknown, options: { commandId?: string } = {}): Promise<Outcome> {
    return this.reply(this.send(aggregateId, command, options));
  }

  /** Waits for the first reply to `commandId`. */
  reply(commandId: string): Promise<Outcome> {
    return poll(`a reply to ${commandId}`, () => this.replies(commandId)[0], WAIT_MS, 5);
  }

  /** Every reply sent to `commandId` so far. */
  replies(commandId: string): Outcome[] {
    return this.topics
      .records(this.replyTopic, 0)
      .map(({ value }) => JSON.parse(value.toString('utf8')) as ReplyRecord)
      .filter((reply) => reply.commandId === commandId)
      .map((reply) => reply.outcome);
  }

  /** Every command on one partition of the commands topic, whoever sent it. */
  commandsOn(partition: number): CommandEnvelope[] {
    return this.topics.records(this.commandsTopic, partition).map(({ value }) => JSON.parse(value.toString('utf8')) as CommandEnvelope);
  }

  /** Every record of one events partition, counted or not, with its offset. */
  log(partition: number): { offset: number; record: LogRecord }[] {
    return this.topics.records(this.eventsTopic, partition).map(({ offset, value }) => ({ offset, record: JSON.parse(value.toString('utf8')) as LogRecord }));
  }

  /** Offset the next record of an events partition will get. */
  logEnd(partition: number): number {
    return this.topics.end(this.eventsTopic, partition);
  }

  /** Stops every engine started here (planned stops; an engine stopped already is not stopped again). */
  async stopAll(): Promise<void> {
    await Promise.all(this.engines.map((engine) => engine.stop()));
  }
}
