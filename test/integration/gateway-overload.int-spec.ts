import { migrate } from '@app/postgres';
import { AppProcess } from '../support/app-process';
import { GatewayProcess, startGateway } from '../support/gateway-process';
import { AdminApi, settledLedger } from '../support/gold-ledger';
import { startInventory } from '../support/hosting-process';
import { provisionedTopics } from '../support/provisioned-topics';
import { randomSuffix } from '../support/random-names';
import { testDatabaseUrl } from '../support/test-env';
import { loginTraders, TradingLoad, TradingPlayer } from '../support/trading-load';

const ADMIN_TOKEN = `test-admin-token-${randomSuffix()}`;
const PLAYERS = 250;
/**
 * Commands each player keeps going at once: 2,500 in all, more than a gateway lets wait for the inventory (2,000),
 * each sent again soon after `unavailable` or `rate_limited`, so the offer stays far past what is carried.
 */
const LANES = 10;
const LOAD_MS = 30_000;
const GRANTED = 1_000;

/**
 * Point 3 of issue 11: a gateway offered far more than it can carry answers every command (ok, a coded refusal,
 * `unavailable` or `rate_limited`) instead of dying, and loses nothing it acknowledged. Before the fix the gateway
 * exited with an unhandled ReplyTimeoutError once its produce queue took longer than the reply wait.
 */
describe('a gateway offered well past saturation for 30 s', () => {
  let topics: Awaited<ReturnType<typeof provisionedTopics>>;
  let gateway: GatewayProcess;
  const inventories: AppProcess[] = [];
  let players: TradingPlayer[] = [];

  beforeAll(async () => {
    await migrate(testDatabaseUrl());
    topics = await provisionedTopics(4);
    inventories.push(await startInventory(topics.prefix), await startInventory(topics.prefix));
    gateway = await startGateway({ TOPIC_PREFIX: topics.prefix, ADMIN_TOKEN, LOGIN_RATE_PER_MINUTE: '1000000' });
  });

  afterAll(async () => {
    for (const player of players) player.socket.close();
    await gateway?.stop();
    for (const inventory of inventories) inventory.kill();
    await Promise.all(inventories.map((inventory) => inventory.exited));
    await topics?.remove();
  });

  it('answers every command, stays alive and ready, and loses nothing it acknowledged', async () => {
    const admin = new AdminApi(gateway.url, ADMIN_TOKEN);
    players = await loginTraders(
      gateway.url,
      Array.from({ length: PLAYERS }, (_, index) => `over_${index}_${randomSuffix()}`),
    );
    await admin.grantAll(players, GRANTED);

    const load = new TradingLoad(players);
    load.start(LANES);
    // The load runs for a fixed span by design (the 30 s), not as a stand-in for a condition.
    await new Promise((resolve) => setTimeout(resolve, LOAD_MS));
    const figures = await load.stop();
    console.log(`gateway overload: ${JSON.stringify(figures)}`);

    expect(figures.missing).toBe(0);
    expect(figures.refused).toEqual({});
    expect(figures.ok).toBe(load.acked.length);
    for (const app of [gateway.process, ...inventories]) expect(app.child.exitCode ?? app.child.signalCode).toBeNull();
    expect(gateway.process.output).not.toMatch(/ReplyTimeoutError|unhandled/i);
    for (const url of [gateway.url, ...inventories.map((inventory) => `http://127.0.0.1:${(inventory as AppProcess & { port: number }).port}`)]) {
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    }

    const { differing, total } = await settledLedger(admin, players, GRANTED, load.acked);
    expect(differing).toEqual([]);
    expect(total).toBe(PLAYERS * GRANTED);
  });
});
