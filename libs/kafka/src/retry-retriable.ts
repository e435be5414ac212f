import { Admin, KafkaJSError } from 'kafkajs';

/**
 * Runs a Kafka call again while Kafka calls its error retriable, backing off up to `attempts` tries. For the admin
 * calls kafkajs gives up on at once: its `fetchTopicOffsets` retries an unknown topic only, so a partition whose
 * leader is still taking over (a broker just restarted, a topic just created) failed it with NOT_LEADER_FOR_PARTITION.
 */
export async function retryRetriable<T>(call: () => Promise<T>, attempts = 10, firstDelayMs = 100): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof KafkaJSError && error.retriable) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(firstDelayMs * 2 ** (attempt - 1), 2_000)));
    }
  }
}

/** Low and high offsets of every partition of `topic`, through a leader change. */
export const topicOffsets = (admin: Admin, topic: string) => retryRetriable(() => admin.fetchTopicOffsets(topic));
