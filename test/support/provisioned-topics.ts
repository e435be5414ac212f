import { logLevel } from 'kafkajs';
import { createKafka, provisionTopics, topicSpecs } from '@app/kafka';
import { randomName } from './random-names';
import { testBrokers } from './test-env';

/** Every topic of a fresh prefix, as `npm start` provisions them, and a way to delete them again. */
export async function provisionedTopics(partitions = 2): Promise<{ prefix: string; remove(): Promise<void> }> {
  const prefix = `${randomName('app')}-`;
  const admin = createKafka({ brokers: testBrokers(), clientId: prefix, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const plan = { prefix, partitions, replicationFactor: 1, commandRetentionMs: 3_600_000 };
  try {
    await provisionTopics(admin, plan);
  } catch (error) {
    await admin.disconnect();
    throw error;
  }
  return {
    prefix,
    async remove() {
      await admin.deleteTopics({ topics: topicSpecs(plan).map((spec) => spec.topic) }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

/** Deletes every topic named with `prefix`: what a test's own processes provisioned. A broker keeps what runs leave. */
export async function deleteTopicsWithPrefix(prefix: string): Promise<void> {
  const admin = createKafka({ brokers: testBrokers(), clientId: `${prefix}cleanup`, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}
