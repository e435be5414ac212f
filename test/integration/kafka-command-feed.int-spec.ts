import { Partitioners } from 'kafkajs';
import { commandFeedContract, CommandFeedFixture } from '@app/engine/testing';
import { KafkaCommandFeed } from '@app/kafka';
import { randomName } from '../support/random-names';
import { trackingKafka } from '../support/tracking-kafka';
import { testKafka } from '../support/test-kafka';

const PARTITIONS = 3;
/** Short, so a member that is gone for good leaves quickly; heartbeats often, so the group's word comes soon. */
const SESSION_TIMEOUT_MS = 6000;
const HEARTBEAT_INTERVAL_MS = 500;

async function makeFixture(): Promise<CommandFeedFixture> {
  const kafka = testKafka(randomName('contract-feed'));
  const admin = kafka.admin();
  await admin.connect();
  const base = randomName('contract-feed');
  const commandsTopic = `${base}.commands`;
  const groupId = `${base}.group`;
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: commandsTopic, numPartitions: PARTITIONS }] });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  const tracked = trackingKafka(kafka);
  const feedKafka = tracked.kafka;

  return {
    partitions: PARTITIONS,
    newFeed: () =>
      new KafkaCommandFeed({ kafka: feedKafka, commandsTopic, groupId, sessionTimeoutMs: SESSION_TIMEOUT_MS, heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS }),
    async append(partition, values) {
      const [metadata] = await producer.send({ topic: commandsTopic, acks: -1, messages: values.map((value) => ({ partition, value })) });
      if (metadata?.partition !== partition || metadata.baseOffset === undefined) throw new Error(`unexpected produce result ${JSON.stringify(metadata)}`);
      // One send to one partition is one record batch: consecutive offsets from its base.
      return values.map((_, index) => Number(metadata.baseOffset) + index);
    },
    async close() {
      await tracked.disconnectAll();
      await producer.disconnect().catch(() => undefined);
      await admin.deleteTopics({ topics: [commandsTopic] }).catch(() => undefined);
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

commandFeedContract('KafkaCommandFeed', makeFixture);
