// Relative, not an alias: jest's global setup loads this without the moduleNameMapper.
import { commonEnvFields, DEFAULT_KAFKA_BROKERS } from '../../libs/config/src/app-config';
import { KafkaSecurity, kafkaSecurityEnvSchema, toKafkaSecurity } from '../../libs/config/src/kafka-security';
import { parseEnv } from '../../libs/config/src/load-config';

/** Where the integration tests find their services: the same variables the apps read. */
export const testBrokers = (): string[] => (process.env.KAFKA_BROKERS || DEFAULT_KAFKA_BROKERS).split(',');

/** TLS and SASL for the tests' own Kafka clients, from the same KAFKA_SSL / KAFKA_SASL_* variables the apps read. */
export const testKafkaSecurity = (): KafkaSecurity => toKafkaSecurity(parseEnv(kafkaSecurityEnvSchema, process.env));

/** The server-level URL, checked by the apps' own rule; each run works in its own database made by the global setup. */
export const adminDatabaseUrl = (): string => parseEnv(commonEnvFields.pick({ DATABASE_URL: true }), process.env).DATABASE_URL;

export const TEST_DATABASE_URL_VAR = 'TEST_RUN_DATABASE_URL';

export function testDatabaseUrl(): string {
  const url = process.env[TEST_DATABASE_URL_VAR];
  if (!url) throw new Error(`${TEST_DATABASE_URL_VAR} is not set: run integration tests through jest.int.config.js`);
  return url;
}

/** Same server and credentials as `base`, another database. */
export function withDatabase(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}
