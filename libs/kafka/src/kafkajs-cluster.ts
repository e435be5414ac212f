import { Kafka } from 'kafkajs';

/** One broker connection of kafkajs's, with the requests this project makes on it directly. */
export interface ClusterBroker {
  leaveGroup(request: { groupId: string; memberId: string }): Promise<unknown>;
  fetch(request: {
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<{ responses: { topicName: string; partitions: FetchedPartition[] }[] }>;
}

/** One partition of a fetch response as kafkajs decodes it. */
export interface FetchedPartition {
  partition: number;
  highWatermark: string;
  abortedTransactions: { producerId: string; firstOffset: string }[];
  messages: { offset: string; value: Buffer | null; isControlRecord?: boolean }[];
}

/** kafkajs's cluster: its brokers, metadata and coordinators, with the client's connections, security and retries. */
export interface KafkaCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  /** Offsets of partitions from their leaders: the first one (`fromBeginning`) or the next one to be written. */
  fetchTopicsOffset(
    topics: { topic: string; fromBeginning: boolean; partitions: { partition: number }[] }[],
  ): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
  findBroker(request: { nodeId: string }): Promise<ClusterBroker>;
  findGroupCoordinator(request: { groupId: string }): Promise<ClusterBroker>;
}

/**
 * A cluster of kafkajs's own, for what its public API lacks: LeaveGroup on another member's behalf, and a fetch from a
 * partition without joining a group (kafkajs has no `assign()`). kafkajs has had no release since 2023, so the private
 * factory this reaches is fixed; the crash-watch and event-stream tests against the real broker fail if it moves.
 */
export function kafkaCluster(kafka: Kafka, options: { isolationLevel?: number } = {}): KafkaCluster {
  const factory = Object.getOwnPropertySymbols(kafka).find((symbol) => symbol.description === 'private:Kafka:createCluster');
  if (!factory) throw new Error('this kafkajs has no cluster factory');
  return (kafka as unknown as Record<symbol, (options: object) => KafkaCluster>)[factory]({ allowAutoTopicCreation: false, ...options });
}
