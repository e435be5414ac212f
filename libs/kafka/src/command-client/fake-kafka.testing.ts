import { Admin, Consumer, ConsumerConfig, EachMessagePayload, Kafka, Producer, ProducerBatch, RecordMetadata } from 'kafkajs';

/**
 * Just enough of kafkajs for unit tests of the gateway's Kafka clients: producers whose sends the test decides,
 * consumers the test feeds and crashes. The real thing is covered by the integration tests.
 */
export class FakeKafka {
  readonly producers: FakeProducer[] = [];
  readonly consumers: FakeConsumer[] = [];
  /**
   * What every producer's sendBatch does; by default it succeeds at once. Its answer, when it gives one, is what the
   * send resolves with; otherwise the send answers for every partition it was for.
   */
  sendBatch: (batch: ProducerBatch) => Promise<void | RecordMetadata[]> = async () => undefined;
  /** High offset of every partition the admin reports. */
  high = '0';
  /** Partitions of every topic, as the admin's metadata reports them. */
  partitions = 4;
  /** Topics whose metadata the admin was asked for, once per request. */
  readonly metadataRequests: string[] = [];
  readonly deletedGroups: string[] = [];

  readonly kafka = {
    producer: () => {
      const producer = new FakeProducer(this);
      this.producers.push(producer);
      return producer as unknown as Producer;
    },
    consumer: (config: ConsumerConfig) => {
      const consumer = new FakeConsumer(config);
      this.consumers.push(consumer);
      return consumer as unknown as Consumer;
    },
  } as unknown as Kafka;

  readonly admin = {
    fetchTopicOffsets: async () => [{ partition: 0, offset: this.high, high: this.high, low: '0' }],
    fetchTopicMetadata: async ({ topics }: { topics: string[] }) => {
      this.metadataRequests.push(...topics);
      const partitions = Array.from({ length: this.partitions }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0] }));
      return { topics: topics.map((name) => ({ name, partitions })) };
    },
    deleteGroups: async (groups: string[]) => {
      this.deletedGroups.push(...groups);
      return [];
    },
  } as unknown as Admin;

  get consumer(): FakeConsumer {
    return this.consumers[this.consumers.length - 1];
  }
}

export class FakeProducer {
  batches: ProducerBatch[] = [];
  disconnected = false;
  constructor(private readonly fake: FakeKafka) {}
  connect = async () => undefined;
  disconnect = async () => {
    this.disconnected = true;
  };
  sendBatch = async (batch: ProducerBatch): Promise<RecordMetadata[]> => {
    this.batches.push(batch);
    const answer = await this.fake.sendBatch(batch);
    return answer ?? answerFor(batch);
  };
}

/** kafkajs's answer to a send that wrote every partition it was for. */
export function answerFor(batch: ProducerBatch): RecordMetadata[] {
  const partitions = new Set((batch.topicMessages ?? []).flatMap(({ topic, messages }) => messages.map(({ partition }) => `${topic}\0${partition}`)));
  return [...partitions].map((entry) => {
    const [topicName, partition] = entry.split('\0');
    return { topicName, partition: Number(partition), errorCode: 0, baseOffset: '0' };
  });
}

type Listener = (event: { payload: unknown }) => void;

export class FakeConsumer {
  readonly events = { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' };
  readonly seeks: { topic: string; partition: number; offset: string }[] = [];
  disconnected = false;
  private readonly listeners = new Map<string, Listener[]>();
  private eachMessage?: (payload: EachMessagePayload) => Promise<void>;
  private topic = '';

  constructor(readonly config: ConsumerConfig) {}

  on(event: string, listener: Listener): () => void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return () => undefined;
  }
  connect = async () => undefined;
  subscribe = async ({ topic }: { topic: string }) => {
    this.topic = topic;
  };
  run = async ({ eachMessage }: { eachMessage: (payload: EachMessagePayload) => Promise<void> }) => {
    this.eachMessage = eachMessage;
    setImmediate(() => this.join());
  };
  seek = (position: { topic: string; partition: number; offset: string }) => {
    this.seeks.push(position);
  };
  disconnect = async () => {
    this.disconnected = true;
  };

  /** The group is joined (again): partition 0 of the subscribed topic is assigned. */
  join(): void {
    this.emit(this.events.GROUP_JOIN, { memberAssignment: { [this.topic]: [0] } });
  }

  /** kafkajs crashed the consumer and, as told by `restartOnFailure`, does not restart it. */
  crash(error: Error): void {
    this.emit(this.events.CRASH, { error, groupId: this.config.groupId, restart: false });
  }

  async deliver(offset: number, value: object): Promise<void> {
    const message = { offset: String(offset), value: Buffer.from(JSON.stringify(value)), key: null, timestamp: '0', attributes: 0, headers: {} };
    await this.eachMessage!({ topic: this.topic, partition: 0, message, heartbeat: async () => undefined, pause: () => () => undefined });
  }

  private emit(event: string, payload: unknown): void {
    for (const listener of this.listeners.get(event) ?? []) listener({ payload });
  }
}
