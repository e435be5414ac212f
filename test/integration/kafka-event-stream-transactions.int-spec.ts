import { Admin, Kafka } from 'kafkajs';
import { KafkaEventStream } from '@app/kafka';
import { randomName } from '../support/random-names';
import { testKafka } from '../support/test-kafka';

/**
 * Logs written with Kafka transactions (older logs of this project were) hold aborted records and control records
 * (the commit and abort markers) between the ones that count: a read skips both, ends, and never waits on a marker.
 */
describe('KafkaEventStream read over transactional records', () => {
  let kafka: Kafka;
  let admin: Admin;
  let topic: string;

  beforeAll(async () => {
    kafka = testKafka(randomName('stream-tx'));
    admin = kafka.admin();
    await admin.connect();
    topic = randomName('stream-tx');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('delivers committed records only, in order, and ends at the end of the log', async () => {
    const producer = kafka.producer({ transactionalId: randomName('stream-tx'), idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const written: string[] = [];
    try {
      for (const [index, commit] of [true, false, true, false, false, true].entries()) {
        const transaction = await producer.transaction();
        await transaction.send({
          topic,
          messages: [
            { value: `a${index}`, partition: 0 },
            { value: `b${index}`, partition: 0 },
          ],
        });
        if (commit) {
          await transaction.commit();
          written.push(`a${index}`, `b${index}`);
        } else await transaction.abort();
      }
    } finally {
      await producer.disconnect();
    }
    const stream = new KafkaEventStream({ kafka, admin, eventsTopic: topic });
    const { end } = await stream.bounds(0);
    const read: { offset: number; value: string }[] = [];
    await stream.read(0, 0, end, (records) => void read.push(...records.map(({ offset, value }) => ({ offset, value: value?.toString('utf8') ?? '' }))));

    expect(read.map(({ value }) => value)).toEqual(written);
    // Each transaction took three offsets (two records and its marker).
    expect({ end, first: read[0].offset, last: read[read.length - 1].offset }).toEqual({ end: 18, first: 0, last: 16 });
  });
});
