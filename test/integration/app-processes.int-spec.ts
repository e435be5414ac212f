import { Client } from 'pg';
import { analyticsGroupOf } from '@app/analytics';
import { migrate } from '@app/postgres';
import { AppName, AppProcess } from '../support/app-process';
import { freePort } from '../support/free-port';
import { startHosting } from '../support/hosting-process';
import { pollUntil } from '../support/poll';
import { provisionedTopics } from '../support/provisioned-topics';
import { randomName } from '../support/random-names';
import { testKafka } from '../support/test-kafka';
import { testBrokers, testDatabaseUrl } from '../support/test-env';

describe.each<AppName>(['gateway', 'inventory', 'zone', 'analytics'])('%s process', (app) => {
  const started: AppProcess[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    started.splice(0).forEach((process) => process.kill());
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  /** A process hosting partitions is ready only once it serves them; the gateway needs its replies topic. */
  async function provisionedPrefix(): Promise<string> {
    const topics = await provisionedTopics();
    cleanups.push(() => topics.remove());
    return topics.prefix;
  }

  const run = (env: Record<string, string>) => {
    const process = new AppProcess(app, env);
    started.push(process);
    return process;
  };

  it('becomes ready on its health endpoints and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const process = run({
      PORT: String(port),
      INSTANCE_ID: randomName(app),
      KAFKA_BROKERS: testBrokers().join(','),
      DATABASE_URL: testDatabaseUrl(),
      TOPIC_PREFIX: await provisionedPrefix(),
    });
    const ready = await pollUntil(`${app} ready`, async () => {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
      return response.ok ? await response.json() : undefined;
    });
    expect(ready).toMatchObject({ status: 'ok', info: { database: { status: 'up', reachable: true }, kafka: { status: 'up' } } });
    const live = await fetch(`http://127.0.0.1:${port}/health/live`);
    expect(live.status).toBe(200);

    process.kill('SIGTERM');
    expect(await process.exited).toEqual({ code: 0, signal: null });
  });

  it('refuses to start on a bad environment and names the variables', async () => {
    const process = run({ PORT: 'not-a-port', KAFKA_BROKERS: 'no-port-here' });
    expect((await process.exited).code).toBe(1);
    expect(process.output).toMatch(/PORT: expected a port number/);
    expect(process.output).toMatch(/KAFKA_BROKERS: expected comma-separated host:port pairs/);
  });
});

describe.each<'inventory' | 'zone'>(['inventory', 'zone'])('%s process on a planned stop', (app) => {
  beforeAll(() => migrate(testDatabaseUrl()));

  it('snapshots every partition it served before it exits', async () => {
    const topics = await provisionedTopics();
    const database = new Client({ connectionString: testDatabaseUrl() });
    let instance: AppProcess | undefined;
    try {
      instance = await startHosting(app, topics.prefix);
      instance.kill('SIGTERM');
      expect(await instance.exited).toEqual({ code: 0, signal: null });
      expect(instance.output).not.toMatch(/snapshot at \d+ failed/);
      await database.connect();
      const { rows } = await database.query<{ partition: number }>('SELECT DISTINCT "partition" FROM "partition_snapshots" WHERE "stream" = $1 ORDER BY 1', [
        `${topics.prefix}${app}.events`,
      ]);
      expect(rows.map((row) => row.partition)).toEqual([0, 1]);
    } finally {
      instance?.kill();
      await database.end();
      await topics.remove();
    }
  });
});

describe('analytics process on a planned stop', () => {
  beforeAll(() => migrate(testDatabaseUrl()));

  it('leaves its consumer group at once on SIGTERM (its partitions move now, not when its session ends)', async () => {
    const topics = await provisionedTopics();
    const admin = testKafka(`${topics.prefix}admin`).admin();
    let instance: AppProcess | undefined;
    try {
      await admin.connect();
      instance = new AppProcess('analytics', {
        PORT: String(await freePort()),
        INSTANCE_ID: randomName('analytics'),
        KAFKA_BROKERS: testBrokers().join(','),
        DATABASE_URL: testDatabaseUrl(),
        TOPIC_PREFIX: topics.prefix,
        // Long enough that a member that did not leave would still be listed when the check runs.
        KAFKA_SESSION_TIMEOUT_MS: '60000',
      });
      const group = analyticsGroupOf(topics.prefix);
      await pollUntil('the analytics instance projecting', () => (instance!.output.includes('from the positions stored in PostgreSQL') ? true : undefined));
      expect((await admin.describeGroups([group])).groups[0].members).toHaveLength(1);
      instance.kill('SIGTERM');
      expect(await instance.exited).toEqual({ code: 0, signal: null });
      expect((await admin.describeGroups([group])).groups[0]).toMatchObject({ state: 'Empty', members: [] });
    } finally {
      instance?.kill();
      await admin.disconnect();
      await topics.remove();
    }
  });
});
