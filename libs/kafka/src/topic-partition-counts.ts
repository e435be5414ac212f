import { Admin, KafkaJSProtocolError } from 'kafkajs';
import { retryRetriable } from './retry-retriable';

/** What Kafka accepts as a topic name. */
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
/** Errors that mean the topic cannot be sent to, as opposed to a failure to find out. */
const NO_SUCH_TOPIC = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'INVALID_TOPIC_EXCEPTION', 'TOPIC_AUTHORIZATION_FAILED']);

/**
 * Partitions of topics, read from the admin's metadata and kept once known (a topic's partitions place its keys: they
 * never change here). 0 for a topic that cannot be sent to: missing, misnamed or not allowed. A failure to find out is
 * thrown, not taken for a missing topic: that would drop what is sent there over a passing leader change.
 */
export class TopicPartitionCounts {
  private readonly known = new Map<string, number>();

  constructor(private readonly admin: Admin) {}

  async of(topic: string): Promise<number> {
    const known = this.known.get(topic);
    if (known !== undefined) return known;
    if (!TOPIC_NAME.test(topic)) return 0;
    const count = await retryRetriable(async () => {
      try {
        const { topics } = await this.admin.fetchTopicMetadata({ topics: [topic] });
        return topics.find(({ name }) => name === topic)?.partitions.length ?? 0;
      } catch (error) {
        if (NO_SUCH_TOPIC.has((error as KafkaJSProtocolError).type)) return 0;
        throw error;
      }
    });
    if (count > 0) this.known.set(topic, count);
    return count;
  }
}
