import { logLevel } from 'kafkajs';
import { createKafka, provisionTopics } from '@app/kafka';
import { migrate } from '@app/postgres';
import { AppProcess } from '../support/app-process';
import { GatewayProcess, startGateway } from '../support/gateway-process';
import { AdminApi, settledLedger } from '../support/gold-ledger';
import { startInventory } from '../support/hosting-process';
import { OwnBroker } from '../support/own-broker';
import { pollUntil } from '../support/poll';
import { randomName, randomSuffix } from '../support/random-names';
import { testDatabaseUrl } from '../support/test-env';
import { loginTraders, TradingLoad, TradingPlayer } from '../support/trading-load';

const ADMIN_TOKEN = `test-admin-token-${randomSuffix()}`;
const PLAYERS = 30;
const GRANTED = 1_000;

/**
 * Point 3 of issue 11: the broker killed (kill -9) and started again under 30 trading players. Before the fix the
 * gateway exited with an unhandled ReplyTimeoutError and every player was dropped for good. Now it answers
 * `unavailable` while the broker is away, then serves again: replies and change feeds resume, and nothing it
 * acknowledged is lost. The broker is this test's own, on free ports with its own data.
 */
describe('a gateway whose broker is killed and started again under load', () => {
  let broker: OwnBroker | undefined;
  let gateway: GatewayProcess | undefined;
  let inventory: (AppProcess & { port: number }) | undefined;
  let players: TradingPlayer[] = [];

  beforeAll(async () => {
    await migrate(testDatabaseUrl());
    broker = await OwnBroker.start();
    const prefix = `${randomName('restart')}-`;
    const admin = createKafka({ brokers: [broker.brokers], clientId: prefix, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      await provisionTopics(admin, { prefix, partitions: 2, replicationFactor: 1, commandRetentionMs: 3_600_000 });
    } finally {
      await admin.disconnect();
    }
    const env = { KAFKA_BROKERS: broker.brokers };
    inventory = await startInventory(prefix, 'ready', env);
    gateway = await startGateway({ ...env, TOPIC_PREFIX: prefix, ADMIN_TOKEN, LOGIN_RATE_PER_MINUTE: '1000000' });
  });

  afterAll(async () => {
    for (const player of players) player.socket.close();
    await gateway?.stop();
    inventory?.kill();
    await inventory?.exited;
    await broker?.remove();
  });

  it('answers while the broker is away, serves again once it is back, and loses nothing it acknowledged', async () => {
    const [gatewayUp, inventoryUp] = [gateway!, inventory!];
    const admin = new AdminApi(gatewayUp.url, ADMIN_TOKEN);
    players = await loginTraders(
      gatewayUp.url,
      Array.from({ length: PLAYERS }, (_, index) => `restart_${index}_${randomSuffix()}`),
    );
    await admin.grantAll(players, GRANTED);
    const load = new TradingLoad(players);
    const began = Date.now();
    const marks: string[] = [];
    const mark = (what: string) => marks.push(`${what} at ${((Date.now() - began) / 1_000).toFixed(1)} s (${load.acked.length} acked)`);
    load.start(2);
    await pollUntil('trading under way', () => (load.acked.length >= 500 ? true : undefined), 60_000);

    await broker!.kill();
    mark('broker killed');
    const unavailableAtKill = load.answered.unavailable;
    await pollUntil('unavailable answered while the broker is away', () => (load.answered.unavailable >= unavailableAtKill + 30 ? true : undefined), 30_000);
    mark('unavailable answered');
    await broker!.restart();
    mark('broker ready again');
    const ackedAtRestart = load.acked.length;
    await pollUntil('acknowledgements again after the restart', () => (load.acked.length >= ackedAtRestart + 500 ? true : undefined), 90_000);
    mark('500 more acknowledged');
    const figures = await load.stop();
    console.log(`gateway across a broker restart: ${marks.join(', ')}; ${JSON.stringify(figures)}`);

    expect(figures.missing).toBe(0);
    expect(figures.refused).toEqual({});
    for (const app of [gatewayUp.process, inventoryUp]) expect(app.child.exitCode ?? app.child.signalCode).toBeNull();
    expect(gatewayUp.process.output).not.toMatch(/ReplyTimeoutError|unhandled/i);
    await pollUntil('the gateway ready', async () => ((await fetch(`${gatewayUp.url}/health/ready`)).ok ? true : undefined), 30_000);
    await pollUntil('the inventory ready', async () => ((await fetch(`http://127.0.0.1:${inventoryUp.port}/health/ready`)).ok ? true : undefined), 30_000);

    const { differing, total } = await settledLedger(admin, players, GRANTED, load.acked);
    expect(differing).toEqual([]);
    expect(total).toBe(PLAYERS * GRANTED);

    // The change feed follows again: a grant made now is pushed to the player's socket.
    const granted = await admin.grant(players[0].playerId, 'after-restart', 7);
    expect(granted.status).toBe(200);
    const version = granted.body.inventory!.version;
    await pollUntil('the grant pushed after the restart', () => ((players[0].pushed?.version ?? 0) >= version ? true : undefined), 30_000);
  });
});
