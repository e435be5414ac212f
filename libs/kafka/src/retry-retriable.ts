import { Admin, KafkaJSError } from 'kafkajs';

/**
 * Runs a Kafka call again while Kafka calls its error retriable, backing off (about 3 s over 6 tries). For the admin
 * calls kafkajs gives up on at once: its `fetchTopicOffsets` retries an unknown topic only, so a partition whose
 * broker is still taking up its leadership (just restarted, or the topic just created) failed it with
 * NOT_LEADER_FOR_PARTITION. kafkajs refreshes metadata between tries only when it is stale, so this covers a leader
 * that comes back, not one that moved to another broker.
 */
export async function retryRetriable<T>(call: () => Promise<T>, attempts = 6, firstDelayMs = 100): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof KafkaJSError && error.retriable) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(firstDelayMs * 2 ** (attempt - 1), 2_000)));
    }
  }
}

/**
 * Low and high offsets of every partition of `topic`, waiting out a leader that is taking over. kafkajs 2.2.4 fails
 * with a TypeError (`low.pop(...)` undefined) when its metadata does not hold the topic yet, because another call on
 * the same admin added it and is still refreshing: that is tried again too, once the topic's metadata was read.
 */
export const topicOffsets = (admin: Admin, topic: string) =>
  retryRetriable(async () => {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (error) {
      if (!(error instanceof TypeError && error.message.includes('.pop('))) throw error;
      await admin.fetchTopicMetadata({ topics: [topic] });
      throw new KafkaJSError(`the metadata of ${topic} was not loaded yet (${error.message})`, { retriable: true });
    }
  });
