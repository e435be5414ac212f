import { DEFAULT_ENGINE_OPTIONS } from '@app/engine';
import { DEFAULT_SESSION_TIMEOUT_MS } from '@app/kafka';
import { z } from 'zod';
import { AppConfig, commonEnvSchema, ServiceName, toAppConfig } from './app-config';
import { DirectOwnerConfig, directOwnerEnvFields, publishChangesEnvFields, toDirectOwnerConfig } from './direct-config';
import { onOff, wholeNumber } from './env-fields';

/**
 * How partitions remember outcomes for retries. Checkpoints hash that memory, so whoever rebuilds a partition (an
 * owner, or the gateway's time travel) must read it with the same limits.
 */
export const dedupeEnvFields = {
  /** Outcomes remembered per requester (player) within the retry horizon. */
  ENGINE_DEDUPE_CAPACITY: wholeNumber(1).default(DEFAULT_ENGINE_OPTIONS.dedupeCapacity),
  /** How long (in the log's time) outcomes are remembered for retries; the SDK gives up after 2 minutes. */
  ENGINE_RETRY_HORIZON_MS: wholeNumber(1_000).default(DEFAULT_ENGINE_OPTIONS.retryHorizonMs),
};

export interface DedupeConfig {
  dedupeCapacity: number;
  retryHorizonMs: number;
}

export const toDedupeConfig = (env: { ENGINE_DEDUPE_CAPACITY: number; ENGINE_RETRY_HORIZON_MS: number }): DedupeConfig => ({
  dedupeCapacity: env.ENGINE_DEDUPE_CAPACITY,
  retryHorizonMs: env.ENGINE_RETRY_HORIZON_MS,
});

/**
 * What a process that hosts partitions (inventory, zone) reads on top of the common variables. Defaults are the
 * engine's own (`DEFAULT_ENGINE_OPTIONS`), so each is stated once.
 */
export const engineEnvSchema = commonEnvSchema.extend({
  ENGINE_MAX_BATCH: wholeNumber(1, 10_000).default(DEFAULT_ENGINE_OPTIONS.maxBatchSize),
  ...dedupeEnvFields,
  SNAPSHOT_EVERY_RECORDS: wholeNumber().default(DEFAULT_ENGINE_OPTIONS.snapshotEveryRecords),
  SNAPSHOT_EVERY_MS: wholeNumber().default(DEFAULT_ENGINE_OPTIONS.snapshotEveryMs),
  // The broker refuses sessions shorter than 6 s.
  KAFKA_SESSION_TIMEOUT_MS: wholeNumber(6_000, 300_000).default(DEFAULT_SESSION_TIMEOUT_MS),
  ...directOwnerEnvFields,
  ...publishChangesEnvFields,
  ENGINE_WARM_STANDBY: onOff.default('on'),
});

export interface EngineConfig extends AppConfig {
  engine: DedupeConfig & {
    maxBatchSize: number;
    snapshotEveryRecords: number;
    snapshotEveryMs: number;
    sessionTimeoutMs: number;
    /** Whether views of changes are written to the changes topic (PUBLISH_CHANGES). */
    publishChanges: boolean;
    /** Whether the partitions owned elsewhere are followed here, for fast takeovers (ENGINE_WARM_STANDBY). */
    warmStandby: boolean;
  };
  direct: DirectOwnerConfig;
}

export function toEngineConfig(service: ServiceName, env: z.output<typeof engineEnvSchema>): EngineConfig {
  return {
    ...toAppConfig(service, env),
    engine: {
      maxBatchSize: env.ENGINE_MAX_BATCH,
      ...toDedupeConfig(env),
      snapshotEveryRecords: env.SNAPSHOT_EVERY_RECORDS,
      snapshotEveryMs: env.SNAPSHOT_EVERY_MS,
      sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS,
      publishChanges: env.PUBLISH_CHANGES === 'on',
      warmStandby: env.ENGINE_WARM_STANDBY === 'on',
    },
    direct: toDirectOwnerConfig(env),
  };
}
