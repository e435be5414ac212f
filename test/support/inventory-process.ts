import { AppProcess } from './app-process';
import { freePort } from './free-port';
import { pollUntil } from './poll';
import { randomName } from './random-names';
import { testBrokers, testDatabaseUrl } from './test-env';

/** Starts a built inventory app on the topics of `prefix` and waits until it answers `GET /health/<until>`. */
export async function startInventory(prefix: string, until: 'live' | 'ready' = 'ready', env: Record<string, string> = {}): Promise<AppProcess> {
  const port = await freePort();
  const instance = new AppProcess('inventory', {
    PORT: String(port),
    INSTANCE_ID: randomName('inventory'),
    KAFKA_BROKERS: testBrokers().join(','),
    DATABASE_URL: testDatabaseUrl(),
    TOPIC_PREFIX: prefix,
    ...env,
  });
  try {
    await pollUntil(`inventory ${until}`, async () => ((await fetch(`http://127.0.0.1:${port}/health/${until}`).catch(() => undefined))?.ok ? true : undefined), 60_000);
  } catch (error) {
    instance.kill();
    throw new Error(`${(error as Error).message}\n${instance.output}`);
  }
  return instance;
}
