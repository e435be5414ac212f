import { DEFAULT_SESSION_TIMEOUT_MS } from '@app/kafka';
import { z } from 'zod';
import { AppConfig, commonEnvSchema, toAppConfig } from './app-config';
import { wholeNumber } from './env-fields';

/** What the analytics service reads on top of the common variables. */
export const analyticsEnvSchema = commonEnvSchema.extend({
  // The broker refuses sessions shorter than 6 s. A crashed instance's partitions wait this long for another.
  KAFKA_SESSION_TIMEOUT_MS: wholeNumber(6_000, 300_000).default(DEFAULT_SESSION_TIMEOUT_MS),
  // Each batch is one transaction on its own connection: at most the pool's 5.
  ANALYTICS_PARTITIONS_AT_ONCE: wholeNumber(1, 5).default(4),
});

export interface AnalyticsConfig extends AppConfig {
  analytics: { sessionTimeoutMs: number; partitionsAtOnce: number };
}

export function toAnalyticsConfig(env: z.output<typeof analyticsEnvSchema>): AnalyticsConfig {
  return {
    ...toAppConfig('analytics', env),
    analytics: { sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS, partitionsAtOnce: env.ANALYTICS_PARTITIONS_AT_ONCE },
  };
}
