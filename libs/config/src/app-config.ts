import { hostname } from 'node:os';
import { z } from 'zod';
import { brokerList, instanceId, nodeEnv, port, postgresUrl, topicPrefix } from './env-fields';
import { KafkaSecurity, kafkaSecurityFields, kafkaSecurityRule, toKafkaSecurity } from './kafka-security';
import { defaultLogFormat, LogFormat, logFormat } from './log-format';

export const DEFAULT_KAFKA_BROKERS = '127.0.0.1:9092';
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export type ServiceName = 'gateway' | 'inventory' | 'zone' | 'analytics';

/** Variables every process reads, without the cross-checks: zod refuses `.pick` on a refined object. */
export const commonEnvFields = z.object({
  NODE_ENV: nodeEnv.default('development'),
  KAFKA_BROKERS: brokerList.default([DEFAULT_KAFKA_BROKERS]),
  DATABASE_URL: postgresUrl.default(DEFAULT_DATABASE_URL),
  TOPIC_PREFIX: topicPrefix.default(''),
  INSTANCE_ID: instanceId.optional(),
  PORT: port.optional(),
  // Its default depends on NODE_ENV: see toAppConfig.
  LOG_FORMAT: logFormat.optional(),
  ...kafkaSecurityFields,
});

/** Variables every process reads. Defaults are for local runs (PROTOCOL.md). `.extend` keeps the refinement. */
export const commonEnvSchema = commonEnvFields.superRefine(kafkaSecurityRule);

export type CommonEnv = z.output<typeof commonEnvSchema>;

export interface AppConfig {
  service: ServiceName;
  nodeEnv: CommonEnv['NODE_ENV'];
  instanceId: string;
  logFormat: LogFormat;
  http: { port: number };
  kafka: { brokers: string[]; clientId: string; topicPrefix: string; security: KafkaSecurity };
  database: { url: string };
}

/** Health and HTTP ports when PORT is not set: the gateway's is public, the others only serve health. */
export const DEFAULT_PORTS: Record<ServiceName, number> = { gateway: 3000, inventory: 3001, zone: 3002, analytics: 3030 };

/** The instance's name in logs and as Kafka client id: INSTANCE_ID, or one made from the host and process. */
export const instanceIdOf = (service: ServiceName, configured: string | undefined): string => configured ?? `${service}-${hostname()}-${process.pid}`;

export function toAppConfig(service: ServiceName, env: CommonEnv): AppConfig {
  const instance = instanceIdOf(service, env.INSTANCE_ID);
  return {
    service,
    nodeEnv: env.NODE_ENV,
    instanceId: instance,
    logFormat: env.LOG_FORMAT ?? defaultLogFormat(env.NODE_ENV),
    http: { port: env.PORT ?? DEFAULT_PORTS[service] },
    kafka: { brokers: env.KAFKA_BROKERS, clientId: instance, topicPrefix: env.TOPIC_PREFIX, security: toKafkaSecurity(env) },
    database: { url: env.DATABASE_URL },
  };
}
