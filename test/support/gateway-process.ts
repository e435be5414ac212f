import { AppProcess } from './app-process';
import { freePort } from './free-port';
import { pollUntil } from './poll';
import { provisionedTopics } from './provisioned-topics';
import { randomName, randomSuffix } from './random-names';
import { testBrokers, testDatabaseUrl } from './test-env';

/** A built gateway run as a real process on a free port, against this run's database. */
export interface GatewayProcess {
  process: AppProcess;
  url: string;
  jwtSecret: string;
  /** SIGTERM, then the exit it ended with. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts a gateway and waits until it answers `GET /health/live`; fails early with its output if it exits.
 * Its topics are its own, provisioned here and removed on stop, unless `env` names a TOPIC_PREFIX. It listens on a
 * free port, or on `env.PORT` (known beforehand, e.g. to name it in another gateway's GATEWAY_PEER_URLS).
 */
export async function startGateway(env: Record<string, string> = {}): Promise<GatewayProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const topics = env.TOPIC_PREFIX ? { prefix: env.TOPIC_PREFIX, remove: async () => undefined } : await provisionedTopics();
  const jwtSecret = env.JWT_SECRET ?? `test-jwt-secret-${randomSuffix()}`;
  const process = new AppProcess('gateway', {
    PORT: String(port),
    INSTANCE_ID: randomName('gateway'),
    KAFKA_BROKERS: testBrokers().join(','),
    DATABASE_URL: testDatabaseUrl(),
    TOPIC_PREFIX: topics.prefix,
    JWT_SECRET: jwtSecret,
    // Tests log many players in from one address; a test of the limit sets its own.
    LOGIN_RATE_PER_MINUTE: '0',
    // Tests stop gateways with raw sockets still connected, which never move: no need to give them 10 s.
    GATEWAY_DRAIN_TIMEOUT_MS: '1000',
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  const exitedEarly = process.exited.then(({ code, signal }) => {
    throw new Error(`gateway exited (code ${code}, signal ${signal}) before it was live:\n${process.output}`);
  });
  try {
    await Promise.race([pollUntil('gateway live', async () => ((await fetch(`${url}/health/live`)).ok ? true : undefined)), exitedEarly]);
  } catch (error) {
    process.kill();
    await topics.remove();
    throw error;
  }
  return {
    process,
    url,
    jwtSecret,
    stop: async () => {
      process.kill('SIGTERM');
      const exit = await process.exited;
      await topics.remove();
      return exit;
    },
  };
}
