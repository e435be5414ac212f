import { parseEnv, toTopicPlan, topicsEnvSchema } from '@app/config';
import { createKafka, provisionTopics } from '@app/kafka';
import { runMain } from './lib/run-main';

runMain(async () => {
  const env = parseEnv(topicsEnvSchema, process.env);
  const admin = createKafka({ brokers: env.KAFKA_BROKERS, clientId: 'provision-topics' }).admin();
  await admin.connect();
  try {
    const { created, existing } = await provisionTopics(admin, toTopicPlan(env));
    console.log(`[topics] created: ${created.join(', ') || 'none'}; already there: ${existing.join(', ') || 'none'}`);
  } finally {
    await admin.disconnect();
  }
});
