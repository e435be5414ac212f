import { z } from 'zod';
import { commonEnvSchema } from './app-config';
import { wholeNumber } from './env-fields';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** What the topic provisioning step reads on top of the common variables. */
export const topicsEnvSchema = commonEnvSchema.extend({
  KAFKA_PARTITIONS: wholeNumber(1, 1000).default(8),
  KAFKA_REPLICATION_FACTOR: wholeNumber(1, 10).default(1),
  COMMAND_RETENTION_MS: wholeNumber().default(WEEK_MS),
});

export type TopicsEnv = z.output<typeof topicsEnvSchema>;

export function toTopicPlan(env: TopicsEnv) {
  return {
    prefix: env.TOPIC_PREFIX,
    partitions: env.KAFKA_PARTITIONS,
    replicationFactor: env.KAFKA_REPLICATION_FACTOR,
    commandRetentionMs: env.COMMAND_RETENTION_MS,
  };
}
