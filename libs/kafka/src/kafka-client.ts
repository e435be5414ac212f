import { Kafka, logCreator, logLevel, RetryOptions } from 'kafkajs';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  retry?: RetryOptions;
  logLevel?: logLevel;
}

/**
 * Known kafkajs messages that say nothing here: the engine's idempotent writers bound their retries
 * on purpose (a writer that fails is dropped and the partition recovers).
 */
const EXPECTED = [/Limiting retries for the idempotent producer/];

const LEVEL_NAMES: Record<number, string> = { [logLevel.ERROR]: 'ERROR', [logLevel.WARN]: 'WARN', [logLevel.INFO]: 'INFO', [logLevel.DEBUG]: 'DEBUG' };

const quietLogCreator: logCreator = () => ({ namespace, level, log }) => {
  const text = `${log.message} ${typeof log.error === 'string' ? log.error : ''}`;
  if (EXPECTED.some((pattern) => pattern.test(text))) return;
  const { message, timestamp: _timestamp, ...extra } = log;
  const line = `[kafkajs] ${LEVEL_NAMES[level] ?? level} ${namespace ? `[${namespace}] ` : ''}${message} ${JSON.stringify(extra)}`;
  (level <= logLevel.WARN ? console.error : console.log)(line);
};

/** One place that builds kafkajs clients, so every process logs and retries alike. */
export function createKafka({ brokers, clientId, retry, logLevel: level = logLevel.WARN }: KafkaClientOptions): Kafka {
  return new Kafka({ brokers, clientId, logLevel: level, logCreator: quietLogCreator, retry, connectionTimeout: 3000 });
}
