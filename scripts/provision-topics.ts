import { parseEnv, topicsEnvSchema } from '@app/config';
import { provisionFromEnv } from './lib/provision';
import { runMain } from './lib/run-main';

runMain(async () => {
  const { created, existing } = await provisionFromEnv(parseEnv(topicsEnvSchema, process.env), 'provision-topics');
  console.log(`[topics] created: ${created.join(', ') || 'none'}; already there: ${existing.join(', ') || 'none'}`);
});
