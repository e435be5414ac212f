import { RecordMetadata } from 'kafkajs';

/**
 * The partitions a kafkajs send was for that its answer does not cover, as `topic[partition]`. kafkajs 2.2.4 retries
 * a failed send only towards brokers that have not answered yet: a partition whose leader moved meanwhile to a broker
 * that had answered for other partitions is never sent, and the send resolves all the same (tulios/kafkajs#1303,
 * #1798). Seen here with a broker of three killed under load: outbox credits of acknowledged transfers vanished.
 */
export function unwrittenPartitions(sent: { topic: string; messages: { partition: number }[] }[], written: RecordMetadata[]): string[] {
  const answered = new Set(written.map(({ topicName, partition }) => `${topicName}[${partition}]`));
  const wanted = new Set(sent.flatMap(({ topic, messages }) => messages.map(({ partition }) => `${topic}[${partition}]`)));
  return [...wanted].filter((partition) => !answered.has(partition));
}
