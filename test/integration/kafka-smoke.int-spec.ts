import { Admin, Consumer, EachMessagePayload, Kafka } from 'kafkajs';
import { pollUntil } from '../support/poll';
import { randomName } from '../support/random-names';
import { testKafka } from '../support/test-kafka';

/** What kafkajs 2.2.4 must do against the pinned broker for the engine to be possible at all. */
describe('kafkajs against the real broker', () => {
  let kafka: Kafka;
  let admin: Admin;
  const consumers: Consumer[] = [];
  const created: string[] = [];

  beforeAll(async () => {
    // Silent: kafkajs logs every retried CONCURRENT_TRANSACTIONS as an error; the assertions say what matters.
    kafka = testKafka(randomName('smoke'));
    admin = kafka.admin();
    await admin.connect();
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.disconnect()));
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: created }).catch(() => undefined);
    await admin.disconnect();
  });

  async function createTopic(partitions = 1): Promise<string> {
    const topic = randomName('smoke');
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
    created.push(topic);
    return topic;
  }

  /** Reads a topic from the beginning with read_committed, collecting values as they arrive. */
  async function readAll(topic: string): Promise<string[]> {
    const values: string[] = [];
    const consumer = kafka.consumer({ groupId: randomName('smoke-reader') });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }: EachMessagePayload) => {
        values.push(message.value?.toString() ?? '');
      },
    });
    return values;
  }

  it('produces idempotently and reads every record back once, in order', async () => {
    const topic = await createTopic();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const sent = Array.from({ length: 20 }, (_, index) => `m${index}`);
    try {
      for (const value of sent) await producer.send({ topic, acks: -1, messages: [{ key: 'k', value }] });
    } finally {
      await producer.disconnect();
    }

    const received = await readAll(topic);
    await pollUntil('all 20 records', () => (received.length >= sent.length ? true : undefined));
    expect(received).toEqual(sent);
  });

  it('commits and aborts transactions; read_committed sees only committed records', async () => {
    const topic = await createTopic();
    const producer = kafka.producer({ transactionalId: randomName('smoke-tx'), idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      for (const [value, outcome] of [
        ['first', 'commit'],
        ['aborted', 'abort'],
        ['last', 'commit'],
      ] as const) {
        const transaction = await producer.transaction();
        await transaction.send({ topic, messages: [{ key: 'k', value }] });
        await (outcome === 'commit' ? transaction.commit() : transaction.abort());
      }
    } finally {
      await producer.disconnect();
    }

    const received = await readAll(topic);
    await pollUntil('the last committed record', () => (received.includes('last') ? true : undefined));
    expect(received).toEqual(['first', 'last']);
  });

  it('joins a consumer group and is assigned every partition', async () => {
    const topic = await createTopic(3);
    const groupId = randomName('smoke-group');
    const consumer = kafka.consumer({ groupId });
    consumers.push(consumer);
    let assigned: number[] | undefined;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      assigned = [...(payload.memberAssignment[topic] ?? [])].sort();
    });
    await consumer.connect();
    await consumer.subscribe({ topic });
    await consumer.run({ eachMessage: async () => undefined });

    expect(await pollUntil('the group join', () => assigned)).toEqual([0, 1, 2]);
    const [group] = (await admin.describeGroups([groupId])).groups;
    expect(group.state).toBe('Stable');
    expect(group.members).toHaveLength(1);
  });
});
