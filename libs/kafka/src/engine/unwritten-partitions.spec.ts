import { RecordMetadata } from 'kafkajs';
import { unwrittenPartitions } from './unwritten-partitions';

const answer = (topicName: string, partition: number): RecordMetadata => ({ topicName, partition, errorCode: 0, baseOffset: '0' });

describe('unwrittenPartitions', () => {
  const sent = [
    { topic: 'inventory.commands', messages: [{ partition: 0 }, { partition: 3 }, { partition: 3 }] },
    { topic: 'gateway.replies', messages: [{ partition: 1 }] },
  ];

  it('finds nothing when every partition sent to answered', () => {
    expect(unwrittenPartitions(sent, [answer('inventory.commands', 0), answer('inventory.commands', 3), answer('gateway.replies', 1)])).toEqual([]);
  });

  it('names each partition the answer leaves out, once', () => {
    expect(unwrittenPartitions(sent, [answer('inventory.commands', 0), answer('gateway.replies', 3)])).toEqual(['inventory.commands[3]', 'gateway.replies[1]']);
  });
});
