import { PartitionMetadata, Partitioners } from 'kafkajs';

// Both on the hot path (every command a gateway routes, and again at its owner): built once, not per call.
const partitioner = Partitioners.DefaultPartitioner();
const metadataByCount = new Map<number, PartitionMetadata[]>();

/** The partition a keyed record lands in: the partitioner every producer here uses (murmur2, as the Java client). */
export function partitionOfKey(key: string, partitions: number): number {
  let partitionMetadata = metadataByCount.get(partitions);
  if (!partitionMetadata) {
    partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 0, replicas: [0], isr: [0] }));
    metadataByCount.set(partitions, partitionMetadata);
  }
  return partitioner({ topic: 'any', partitionMetadata, message: { key, value: null } });
}
