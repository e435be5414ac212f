import { randomBytes } from 'node:crypto';
import { logLevel } from 'kafkajs';
import type { KafkaSecurity } from '@app/config';
import { createKafka } from './kafka-client';

/** Resolves once the broker can create (and delete) a topic: metadata alone says too little. */
export async function probeBroker(brokers: string[], security?: KafkaSecurity): Promise<void> {
  const admin = createKafka({ brokers, clientId: 'broker-probe', retry: { retries: 0 }, logLevel: logLevel.NOTHING, security }).admin();
  try {
    await admin.connect();
    const topic = `readiness-probe-${randomBytes(6).toString('hex')}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.deleteTopics({ topics: [topic] });
  } finally {
    await admin.disconnect();
  }
}

/** Polls `probeBroker` until it passes or `timeoutMs` runs out; the last error explains a failure. */
export async function waitForBroker(brokers: string[], timeoutMs: number, isAlive: () => boolean = () => true, security?: KafkaSecurity): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline && isAlive()) {
    try {
      return await probeBroker(brokers, security);
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError ?? 'process exited');
  throw new Error(`Kafka at ${brokers.join(',')} is not reachable: ${reason}`);
}
