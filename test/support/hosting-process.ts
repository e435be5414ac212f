import { AppProcess } from './app-process';
import { freePort } from './free-port';
import { pollUntil } from './poll';
import { randomName } from './random-names';
import { testBrokers, testDatabaseUrl } from './test-env';

/** Starts a built app that hosts partitions on the topics of `prefix` and waits until it answers `GET /health/<until>`. */
export async function startHosting(
  app: 'inventory' | 'zone',
  prefix: string,
  until: 'live' | 'ready' = 'ready',
  env: Record<string, string> = {},
): Promise<AppProcess & { port: number }> {
  const port = await freePort();
  const instance = new AppProcess(app, {
    PORT: String(port),
    INSTANCE_ID: randomName(app),
    KAFKA_BROKERS: testBrokers().join(','),
    DATABASE_URL: testDatabaseUrl(),
    TOPIC_PREFIX: prefix,
    ...env,
  });
  try {
    await pollUntil(
      `${app} ${until}`,
      async () => ((await fetch(`http://127.0.0.1:${port}/health/${until}`).catch(() => undefined))?.ok ? true : undefined),
      60_000,
    );
  } catch (error) {
    instance.kill();
    throw new Error(`${(error as Error).message}\n${instance.output}`);
  }
  return Object.assign(instance, { port });
}

export const startInventory = (prefix: string, until: 'live' | 'ready' = 'ready', env: Record<string, string> = {}) =>
  startHosting('inventory', prefix, until, env);
export const startZone = (prefix: string, until: 'live' | 'ready' = 'ready', env: Record<string, string> = {}) => startHosting('zone', prefix, until, env);
