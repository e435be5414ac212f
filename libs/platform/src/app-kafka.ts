import { Logger } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { AppConfig } from '@app/config';
import { createKafka, KafkaLog } from '@app/kafka';

const kafkajs = new Logger('kafkajs');

/** kafkajs's own lines in the app's log, its fields (broker, groupId, error, ...) as the line's. */
export const appKafkaLog: KafkaLog = (level, message, fields) => (level === 'info' ? kafkajs.log(message, fields) : kafkajs[level](message, fields));

/** A kafkajs client of this app: the configured brokers and security, its lines in the app's log. */
export function createAppKafka(kafka: AppConfig['kafka'], clientId = kafka.clientId): Kafka {
  return createKafka({ brokers: kafka.brokers, clientId, security: kafka.security, log: appKafkaLog });
}
