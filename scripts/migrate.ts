import { commonEnvSchema, parseEnv } from '@app/config';
import { migrate } from '@app/postgres';
import { runMain } from './lib/run-main';

runMain(async () => {
  const env = parseEnv(commonEnvSchema, process.env);
  const applied = await migrate(env.DATABASE_URL);
  console.log(applied.length ? `[db] applied ${applied.join(', ')}` : '[db] schema up to date');
});
