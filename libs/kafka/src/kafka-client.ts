import { Kafka, KafkaConfig, logCreator, logLevel, RetryOptions, SASLOptions } from 'kafkajs';
import type { KafkaSecurity } from '@app/config';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  retry?: RetryOptions;
  logLevel?: logLevel;
  /** TLS and SASL from the configuration (KAFKA_SSL, KAFKA_SASL_*); absent = plaintext, no authentication. */
  security?: KafkaSecurity;
}

/**
 * Known kafkajs messages that say nothing here: the engine's idempotent writers bound their retries
 * on purpose (a writer that fails is dropped and the partition recovers).
 */
const EXPECTED = [/Limiting retries for the idempotent producer/];

const LEVEL_NAMES: Record<number, string> = { [logLevel.ERROR]: 'ERROR', [logLevel.WARN]: 'WARN', [logLevel.INFO]: 'INFO', [logLevel.DEBUG]: 'DEBUG' };

const quietLogCreator: logCreator =
  () =>
  ({ namespace, level, log }) => {
    const text = `${log.message} ${typeof log.error === 'string' ? log.error : ''}`;
    if (EXPECTED.some((pattern) => pattern.test(text))) return;
    const { message, timestamp: _timestamp, ...extra } = log;
    const line = `[kafkajs] ${LEVEL_NAMES[level] ?? level} ${namespace ? `[${namespace}] ` : ''}${message} ${JSON.stringify(extra)}`;
    (level <= logLevel.WARN ? console.error : console.log)(line);
  };

/** The kafkajs configuration of one client: every process logs, retries and secures its connections alike. */
export function kafkaClientConfig({ brokers, clientId, retry, logLevel: level = logLevel.WARN, security }: KafkaClientOptions): KafkaConfig {
  return {
    brokers,
    clientId,
    logLevel: level,
    logCreator: quietLogCreator,
    retry,
    connectionTimeout: 3000,
    ...securityConfig(security),
  };
}

/** One place that builds kafkajs clients, so every process logs, retries and connects alike. */
export function createKafka(options: KafkaClientOptions): Kafka {
  return new Kafka(kafkaClientConfig(options));
}

function securityConfig(security: KafkaSecurity | undefined): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  if (!security) return {};
  // With a CA of our own, trust exactly it (server names are still checked); otherwise Node's default CAs.
  const ssl = security.ssl ? (security.ca ? { ca: [security.ca] } : true) : undefined;
  return { ...(ssl ? { ssl } : {}), ...(security.sasl ? { sasl: saslConfig(security.sasl) } : {}) };
}

function saslConfig({ mechanism, username, password }: NonNullable<KafkaSecurity['sasl']>): SASLOptions {
  // Spelled out per mechanism: kafkajs types each one as its own literal.
  switch (mechanism) {
    case 'plain':
      return { mechanism, username, password };
    case 'scram-sha-256':
      return { mechanism, username, password };
    case 'scram-sha-512':
      return { mechanism, username, password };
  }
}
