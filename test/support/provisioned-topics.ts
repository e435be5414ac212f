import { provisionTopics, topicSpecs } from '@app/kafka';
import { pollUntil } from './poll';
import { randomName } from './random-names';
import { testKafka } from './test-kafka';

/** Every topic of a fresh prefix, as `npm start` provisions them, and a way to delete them again. */
export async function provisionedTopics(partitions = 2): Promise<{ prefix: string; remove(): Promise<void>; recreate(): Promise<void> }> {
  const prefix = `${randomName('app')}-`;
  const admin = testKafka(prefix).admin();
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
    /** Deletes every topic and provisions it again under the same name, as a wiped broker would have them. */
    async recreate() {
      const names = new Set(topicSpecs(plan).map((spec) => spec.topic));
      await admin.deleteTopics({ topics: [...names] });
      // Deletion completes in the background; a name still being deleted cannot be created yet.
      await pollUntil('the topics deleted', async () => ((await admin.listTopics()).some((topic) => names.has(topic)) ? undefined : true), 30_000, 200);
      await provisionTopics(admin, plan);
    },
  };
}

/** Deletes every topic named with `prefix`: what a test's own processes provisioned. A broker keeps what runs leave. */
export async function deleteTopicsWithPrefix(prefix: string): Promise<void> {
  const admin = testKafka(`${prefix}cleanup`).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}
