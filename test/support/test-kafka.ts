import { Kafka, logLevel } from 'kafkajs';
import { createKafka } from '@app/kafka';
import { testBrokers, testKafkaSecurity } from './test-env';

/** A Kafka client for the tests' own checks and fixtures: the test broker, spoken to as the apps would (TLS, SASL). */
export const testKafka = (clientId: string, level = logLevel.NOTHING): Kafka =>
  createKafka({ brokers: testBrokers(), clientId, logLevel: level, security: testKafkaSecurity() });
