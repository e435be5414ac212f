/**
 * The raw baseline's middle stage: consume -> produce with plain kafkajs, no transactions, no state.
 * What a pipeline costs before the engine adds ownership, dedupe and exactly-once.
 */
import { logLevel, Partitioners } from 'kafkajs';
import { benchKafka } from './bench-support';

async function main(): Promise<void> {
  const [input, output, groupId] = process.argv.slice(2);
  const kafka = benchKafka('raw-relay', logLevel.ERROR);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 250 });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: input, fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: 16,
    eachBatch: async ({ batch }) => {
      await producer.send({
        topic: output,
        acks: -1,
        messages: batch.messages.map((message) => ({ key: message.key, value: message.value, partition: 0 })),
      });
    },
  });
  process.send?.('ready');
  process.once('SIGTERM', () => {
    void Promise.all([consumer.disconnect(), producer.disconnect()]).then(() => process.exit(0));
  });
}

void main();
