import { TopicsEnv, toKafkaSecurity, toTopicPlan } from '@app/config';
import { createKafka, ProvisionResult, provisionTopics } from '@app/kafka';

/** Connects an admin client to the configured brokers, provisions every service topic, disconnects. */
export async function provisionFromEnv(env: TopicsEnv, clientId: string): Promise<ProvisionResult> {
  const admin = createKafka({ brokers: env.KAFKA_BROKERS, clientId, security: toKafkaSecurity(env) }).admin();
  await admin.connect();
  try {
    return await provisionTopics(admin, toTopicPlan(env));
  } finally {
    await admin.disconnect();
  }
}
