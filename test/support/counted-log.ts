import { Admin, Kafka } from 'kafkajs';
import { LogRecord, parseLogRecord } from '@app/engine';
import { KafkaEventStream } from '@app/kafka';

/**
 * The records of one events partition that count, in order: claims, and records written under the latest claim
 * before them (the log-fencing rule, checked here independently of the engine).
 */
export async function readCountedLog(kafka: Kafka, admin: Admin, eventsTopic: string, partition: number): Promise<{ offset: number; record: LogRecord }[]> {
  const stream = new KafkaEventStream({ kafka, admin, eventsTopic });
  const records: { offset: number; record: LogRecord }[] = [];
  const { end } = await stream.bounds(partition);
  let latestClaim = -1;
  await stream.read(partition, 0, end, (chunk) => {
    for (const { offset, value } of chunk) {
      const record = parseLogRecord(value, offset);
      if (record.type === 'claim') latestClaim = offset;
      else if (record.claim !== latestClaim) continue;
      records.push({ offset, record });
    }
  });
  return records;
}
