import { INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { accountsDomain } from '@app/engine/testing';
import { engineEnvSchema, parseEnv, toEngineConfig } from '@app/config';
import { EngineModule, PlatformModule } from '@app/platform';
import { AccountsWorld } from '../support/accounts-fixture';
import { pollUntil } from '../support/poll';
import { randomName } from '../support/random-names';
import { testBrokers, testDatabaseUrl } from '../support/test-env';

/** The thin NestJS wrapper: the engine starts with the app, gates readiness, shows status, stops with it. */
describe('EngineModule in a NestJS app', () => {
  let world: AccountsWorld;
  let app: INestApplication | undefined;

  beforeEach(async () => {
    world = new AccountsWorld(2);
    await world.setUp();
  });

  afterEach(async () => {
    await app?.close();
    await world.tearDown();
  });

  it('is ready once every owned partition serves, reports them, and commits acknowledged commands', async () => {
    const config = toEngineConfig(
      'inventory',
      parseEnv(engineEnvSchema, {
        KAFKA_BROKERS: testBrokers().join(','),
        DATABASE_URL: testDatabaseUrl(),
        TOPIC_PREFIX: world.prefix,
        INSTANCE_ID: randomName('module'),
        KAFKA_SESSION_TIMEOUT_MS: '6000',
      }),
    );
    @Module({ imports: [PlatformModule.forRoot(config), EngineModule.forDomain(accountsDomain())] })
    class AccountsAppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AccountsAppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const server = app.getHttpServer();

    const ready = await pollUntil('readiness', async () => {
      const response = await request(server).get('/health/ready');
      return response.status === 200 ? response.body : undefined;
    });
    expect(ready.info.partitions.owned).toEqual([
      { partition: 0, phase: 'serving' },
      { partition: 1, phase: 'serving' },
    ]);

    const client = await world.client();
    const outcome = await client.send(world.commandsTopic, {
      commandId: 'm-1',
      aggregateId: 'carol',
      issuedAt: Date.now(),
      command: { type: 'deposit', amount: 7 },
    });
    expect(outcome).toEqual({ ok: true, reply: { balance: 7, held: 0 } });

    const status = await request(server).get('/engine/status');
    expect(status.body.ready).toBe(true);
    expect(status.body.partitions.map((entry: { commandsCommitted: number }) => entry.commandsCommitted).reduce((a: number, b: number) => a + b)).toBe(1);
    // The partition that committed reports its commit latency; the idle one has nothing to report.
    const latencies = status.body.partitions.map(({ commandsCommitted, lastCommitMs, commitP99Ms }: Record<string, number>) => ({
      committed: commandsCommitted,
      measured: lastCommitMs > 0 && commitP99Ms === lastCommitMs,
    }));
    expect(latencies).toEqual(expect.arrayContaining([{ committed: 1, measured: true }]));

    const metrics = await request(server).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/^engine_partitions\{phase="serving",service="accounts"\} 2$/m);
    expect(metrics.text).toMatch(/^engine_partitions\{phase="diverged",service="accounts"\} 0$/m);
    expect(metrics.text).toMatch(/^engine_commands_committed\{partition="\d",service="accounts"\} 1$/m);

    await app.close();
    app = undefined;
    const rows: { stream: string }[] = await world.dataSource!.query('SELECT stream FROM partition_snapshots WHERE stream = $1', [world.eventsTopic]);
    expect(rows.length).toBeGreaterThan(0);
  });
});
