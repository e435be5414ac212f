import { eventStreamContract, EventStreamFixture, InMemoryEventStream, InMemoryTopics, poll, SideRecord } from '@app/engine/testing';

/** Small, so the contract's longer reads take many chunks. */
const READ_CHUNK_RECORDS = 7;
const TINY_MAX_RECORD_BYTES = 1024;

async function makeFixture(): Promise<EventStreamFixture> {
  const topics = new InMemoryTopics();
  topics.create('contract.events', 3);
  topics.create('contract.side', 3);
  topics.create('contract.tiny', 1, { maxRecordBytes: TINY_MAX_RECORD_BYTES });
  const readSide = (topic: string, count: number): Promise<SideRecord[]> =>
    poll(
      `${count} records on ${topic}`,
      () => {
        const records = Array.from({ length: topics.partitionCount(topic) }, (_, partition) =>
          topics.records(topic, partition).map(({ key, value }) => ({ partition, key, value: value.toString('utf8') })),
        ).flat();
        return records.length >= count ? records : undefined;
      },
      5_000,
      5,
    );
  return {
    stream: new InMemoryEventStream(topics, 'contract.events', { readChunkRecords: READ_CHUNK_RECORDS }),
    partitions: 3,
    sideTopic: 'contract.side',
    sidePartitions: 3,
    partitionOfKey: (key, partitions) => topics.partitionOfKey(key, partitions),
    readSide,
    refusedSideMessage: () => ({ topic: 'contract.tiny', partition: 0, key: 'too-large', value: 'x'.repeat(TINY_MAX_RECORD_BYTES * 8) }),
    close: async () => undefined,
  };
}

eventStreamContract('InMemoryEventStream', makeFixture);
