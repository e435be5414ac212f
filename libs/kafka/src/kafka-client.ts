import { Kafka, logLevel, RetryOptions } from 'kafkajs';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  retry?: RetryOptions;
  logLevel?: logLevel;
}

/** One place that builds kafkajs clients, so every process logs and retries alike. */
export function createKafka({ brokers, clientId, retry, logLevel: level = logLevel.WARN }: KafkaClientOptions): Kafka {
  return new Kafka({ brokers, clientId, logLevel: level, retry, connectionTimeout: 3000 });
}
