import { z } from 'zod';
import { AppConfig, commonEnvSchema, ServiceName, toAppConfig } from './app-config';
import { positiveInt } from './env-fields';

/** What a process that hosts partitions (inventory, zone) reads on top of the common variables. */
export const engineEnvSchema = commonEnvSchema.extend({
  ENGINE_MAX_BATCH: positiveInt.max(10_000).default(500),
  ENGINE_DEDUPE_CAPACITY: positiveInt.default(10_000),
  SNAPSHOT_EVERY_RECORDS: positiveInt.default(10_000),
  SNAPSHOT_EVERY_MS: positiveInt.default(60_000),
  KAFKA_SESSION_TIMEOUT_MS: positiveInt.min(6_000, 'expected at least 6000 (the broker minimum)').max(300_000).default(10_000),
});

export interface EngineConfig extends AppConfig {
  engine: {
    maxBatchSize: number;
    dedupeCapacity: number;
    snapshotEveryRecords: number;
    snapshotEveryMs: number;
    sessionTimeoutMs: number;
  };
}

export function toEngineConfig(service: ServiceName, env: z.output<typeof engineEnvSchema>): EngineConfig {
  return {
    ...toAppConfig(service, env),
    engine: {
      maxBatchSize: env.ENGINE_MAX_BATCH,
      dedupeCapacity: env.ENGINE_DEDUPE_CAPACITY,
      snapshotEveryRecords: env.SNAPSHOT_EVERY_RECORDS,
      snapshotEveryMs: env.SNAPSHOT_EVERY_MS,
      sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS,
    },
  };
}
