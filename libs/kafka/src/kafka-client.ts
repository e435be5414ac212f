import { Kafka, KafkaConfig, logCreator, logLevel, RetryOptions, SASLOptions } from 'kafkajs';
import type { KafkaSecurity } from '@app/config';

export type KafkaLogLevel = 'error' | 'warn' | 'info' | 'debug';

/** Where kafkajs's own lines go: their level, message and kafkajs's fields (namespace, broker, groupId, error, ...). */
export type KafkaLog = (level: KafkaLogLevel, message: string, fields: Record<string, unknown>) => void;

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  retry?: RetryOptions;
  logLevel?: logLevel;
  /** TLS and SASL from the configuration (KAFKA_SSL, KAFKA_SASL_*); absent = plaintext, no authentication. */
  security?: KafkaSecurity;
  /** Apps pass their logger's; scripts and tests print one line per entry (`consoleKafkaLog`). */
  log?: KafkaLog;
}

/**
 * Known kafkajs messages that say nothing here: the engine's idempotent writers bound their retries
 * on purpose (a writer that fails is dropped and the partition recovers).
 */
const EXPECTED = [/Limiting retries for the idempotent producer/];

const LEVELS: Record<number, KafkaLogLevel> = { [logLevel.ERROR]: 'error', [logLevel.WARN]: 'warn', [logLevel.INFO]: 'info', [logLevel.DEBUG]: 'debug' };

/** `[kafkajs] WARN [namespace] message {fields}`, errors and warnings on stderr. */
export const consoleKafkaLog: KafkaLog = (level, message, { namespace, ...fields }) => {
  const line = `[kafkajs] ${level.toUpperCase()} ${namespace ? `[${String(namespace)}] ` : ''}${message} ${JSON.stringify(fields)}`;
  (level === 'error' || level === 'warn' ? console.error : console.log)(line);
};

const quietLogCreator =
  (sink: KafkaLog): logCreator =>
  () =>
  ({ namespace, level, log }) => {
    const text = `${log.message} ${typeof log.error === 'string' ? log.error : ''}`;
    if (EXPECTED.some((pattern) => pattern.test(text))) return;
    // kafkajs stamps its own time and name on each entry; the sink has both.
    const { message, timestamp: _timestamp, logger: _logger, ...fields } = log;
    sink(LEVELS[level] ?? 'info', message, namespace ? { namespace, ...fields } : fields);
  };

/** The kafkajs configuration of one client: every process logs, retries and secures its connections alike. */
export function kafkaClientConfig({
  brokers,
  clientId,
  retry,
  logLevel: level = logLevel.WARN,
  security,
  log = consoleKafkaLog,
}: KafkaClientOptions): KafkaConfig {
  return {
    brokers,
    clientId,
    logLevel: level,
    logCreator: quietLogCreator(log),
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
