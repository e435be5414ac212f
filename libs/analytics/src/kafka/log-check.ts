import { Kafka } from 'kafkajs';
import { PartitionFetch } from '@app/kafka/engine/partition-fetch';
import { logRefutation, StoredPartition } from '../log-binding';

/** Enough for the one record asked for: Kafka hands over at least one record batch whatever this says. */
const FETCH_BYTES = 1 << 20;

/**
 * Asks an events partition whether it is still the log a stored position was read from, before the projection resumes
 * it: its first and end offsets, and the record at the position's binding, read with a small direct fetch (no group).
 */
export class LogCheck {
  private readonly fetches = new Map<string, PartitionFetch>();

  constructor(private readonly kafka: Kafka) {}

  /** Why the partition's log is not the one `stored` was read from, or undefined when it is. */
  async refutation(topic: string, partition: number, stored: StoredPartition): Promise<string | undefined> {
    if (stored.nextOffset === 0) return undefined;
    const fetch = this.fetchOf(topic);
    const { start, end } = await fetch.bounds(partition);
    const { last } = stored;
    let atBinding: { offset: number; value: Buffer | null } | undefined;
    if (last && start <= last.offset && last.offset < end) {
      await fetch.read(partition, last.offset, last.offset + 1, (records) => {
        atBinding = records.find(({ offset }) => offset === last.offset) ?? atBinding;
      });
    }
    return logRefutation(stored, { start, end, atBinding });
  }

  private fetchOf(topic: string): PartitionFetch {
    const fetch = this.fetches.get(topic) ?? new PartitionFetch(this.kafka, topic, FETCH_BYTES);
    this.fetches.set(topic, fetch);
    return fetch;
  }
}
