import { Admin } from 'kafkajs';
import { topicOffsets } from '@app/kafka/retry-retriable';
import { PartitionState } from '../postgres/projection-store';
import { projectedTopics } from './events-projector';

/** How far the projection is: every events partition's stored position against the end of its log. */
export interface ProjectionProgress {
  /** Records in the events topics not projected yet; null while Kafka does not answer. */
  behind: number | null;
  partitions: {
    topic: string;
    partition: number;
    nextOffset: number;
    endOffset: number | null;
    /** Why the projection of this partition stopped (its log replaced, records deleted, a newer events version); null while it goes on. */
    error: string | null;
  }[];
}

/** The topics whose positions `projectionProgress` needs. */
export const projectedTopicNames = (topicPrefix: string): string[] => projectedTopics(topicPrefix).map(({ topic }) => topic);

/**
 * The progress `GET /admin/economy` reports, from PostgreSQL's positions (`stored`, read in the same snapshot as the
 * economy, so `behind` 0 means the totals hold every record) and Kafka's end offsets, asked after that snapshot was
 * read. Kafka failing leaves the end offsets unknown (`onKafkaError` hears why).
 */
export async function projectionProgress(
  stored: PartitionState[],
  admin: Admin,
  topicPrefix: string,
  onKafkaError: (error: unknown) => void,
): Promise<ProjectionProgress> {
  const topics = projectedTopicNames(topicPrefix);
  const ends = await Promise.all(topics.map((topic) => topicOffsets(admin, topic))).catch((error: unknown) => {
    onKafkaError(error);
    return undefined;
  });
  const partitions = topics.flatMap((topic, index) => {
    const known = ends?.[index] ?? stored.filter((entry) => entry.topic === topic).map(({ partition }) => ({ partition, high: undefined }));
    return [...known]
      .sort((a, b) => a.partition - b.partition)
      .map(({ partition, high }) => {
        const state = stored.find((entry) => entry.topic === topic && entry.partition === partition);
        return {
          topic,
          partition,
          nextOffset: state?.position.nextOffset ?? 0,
          endOffset: high === undefined ? null : Number(high),
          error: state?.stopped ?? state?.refused ?? null,
        };
      });
  });
  const behind = ends ? partitions.reduce((sum, { nextOffset, endOffset }) => sum + Math.max(0, (endOffset ?? 0) - nextOffset), 0) : null;
  return { behind, partitions };
}
