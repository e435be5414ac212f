import { Admin, Kafka } from 'kafkajs';
import { eventStreamContract, EventStreamFixture, SideRecord } from '@app/engine/testing';
import { KafkaEventStream, partitionOfKey } from '@app/kafka';
import { pollUntil } from '../support/poll';
import { trackingKafka } from '../support/tracking-kafka';
import { randomName } from '../support/random-names';
import { testKafka } from '../support/test-kafka';

const PARTITIONS = 3;
const SIDE_PARTITIONS = 3;
const READ_FETCH_BYTES = 4096;
/** The refused side message goes to a topic that takes records of at most this many bytes. */
const TINY_MAX_MESSAGE_BYTES = 1024;

async function readSide(kafka: Kafka, admin: Admin, topic: string, count: number): Promise<SideRecord[]> {
  const groupId = randomName('contract-side-reader');
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  const records: SideRecord[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        records.push({ partition, key: message.key?.toString('utf8') ?? '', value: message.value?.toString('utf8') ?? '' });
      },
    });
    await pollUntil(`${count} records on ${topic} (have ${records.length})`, () => (records.length >= count ? true : undefined), 20_000, 50);
    return [...records];
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
}

async function makeFixture(): Promise<EventStreamFixture> {
  const kafka = testKafka(randomName('contract-stream'));
  const admin = kafka.admin();
  await admin.connect();
  const base = randomName('contract');
  const eventsTopic = `${base}.events`;
  const sideTopic = `${base}.side`;
  const tinyTopic = `${base}.tiny`;
  const topics = [eventsTopic, sideTopic, tinyTopic];
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: eventsTopic, numPartitions: PARTITIONS, configEntries: [{ name: 'retention.ms', value: '-1' }] },
      { topic: sideTopic, numPartitions: SIDE_PARTITIONS },
      { topic: tinyTopic, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: String(TINY_MAX_MESSAGE_BYTES) }] },
    ],
  });
  const tracked = trackingKafka(kafka);
  const stream = new KafkaEventStream({
    kafka: tracked.kafka,
    admin,
    eventsTopic,
    // Small fetches, so the contract's longer reads (hundreds of appends) take many of them.
    readFetchBytes: READ_FETCH_BYTES,
  });

  return {
    stream,
    partitions: PARTITIONS,
    sideTopic,
    sidePartitions: SIDE_PARTITIONS,
    partitionOfKey,
    readSide: (topic, count) => readSide(kafka, admin, topic, count),
    refusedSideMessage: () => ({ topic: tinyTopic, partition: 0, key: 'too-large', value: 'x'.repeat(TINY_MAX_MESSAGE_BYTES * 8) }),
    async close() {
      await tracked.disconnectAll();
      await admin.deleteTopics({ topics }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

/** Contract tests this adapter is known to fail (run as `it.failing`, so a fix turns them red): none now. */
const knownDefects: Record<string, string> = {};

eventStreamContract('KafkaEventStream', makeFixture, { knownDefects });
