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
