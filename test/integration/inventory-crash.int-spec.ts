import { migrate } from '@app/postgres';
import { GameClient, GameError } from '@app/sdk';
import { AppProcess } from '../support/app-process';
import { GatewayProcess, startGateway } from '../support/gateway-process';
import { pollUntil } from '../support/poll';
import { startInventory } from '../support/hosting-process';
import { provisionedTopics } from '../support/provisioned-topics';
import { randomSuffix } from '../support/random-names';
import { testDatabaseUrl } from '../support/test-env';

const ADMIN_TOKEN = `test-admin-token-${randomSuffix()}`;
const PLAYERS = 8;
const START_GOLD = 100;
const TRANSFERS_EACH = 25;

/** kill -9 one of two inventory instances while players send gold to each other through the SDK. */
describe('inventory: an instance killed during a stream of transfers', () => {
  let topics: Awaited<ReturnType<typeof provisionedTopics>>;
  let gateway: GatewayProcess;
  const instances: AppProcess[] = [];

  async function startInstance(): Promise<AppProcess> {
    const instance = await startInventory(topics.prefix, 'live', { KAFKA_SESSION_TIMEOUT_MS: '6000' });
    instances.push(instance);
    return instance;
  }

  beforeAll(async () => {
    await migrate(testDatabaseUrl());
    topics = await provisionedTopics(4);
    await startInstance();
    await startInstance();
    gateway = await startGateway({ TOPIC_PREFIX: topics.prefix, ADMIN_TOKEN });
  });

  afterAll(async () => {
    await gateway?.stop();
    for (const instance of instances) instance.kill();
    await Promise.all(instances.map((instance) => instance.exited));
    await topics?.remove();
  });

  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${gateway.url}/admin/players/${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' } });

  it('conserves gold, applies every acknowledged transfer once, and clients see only delays', async () => {
    const clients = await Promise.all(
      Array.from({ length: PLAYERS }, () =>
        GameClient.login({ url: gateway.url, retry: { attempts: 30, baseDelayMs: 50, maxDelayMs: 1_000 } }, `crash_${randomSuffix()}`),
      ),
    );
    for (const client of clients) {
      const response = await admin(`${client.playerId}/grants`, { method: 'POST', body: JSON.stringify({ grantId: 'start', gold: START_GOLD }) });
      expect(response.status).toBe(200);
    }
    const acked: { from: string; to: string; amount: number }[] = [];
    const refused: string[] = [];
    let sent = 0;
    const stream = clients.map(async (client, index) => {
      for (let round = 0; round < TRANSFERS_EACH; round++) {
        const to = clients[(index + 1 + ((round * 3) % (PLAYERS - 1))) % PLAYERS].playerId;
        const amount = 1 + ((index + round) % 7);
        sent++;
        try {
          await client.transferGold(to, amount);
          acked.push({ from: client.playerId, to, amount });
        } catch (error) {
          // Only a refusal that changed nothing is acceptable; anything else fails the test below.
          refused.push(error instanceof GameError ? error.code : String(error));
        }
      }
    });
    await pollUntil('transfers flowing', () => (sent >= PLAYERS * 3 ? true : undefined));
    instances[0].kill('SIGKILL');
    // Killed mid-stream, with transfers still to send.
    expect(acked.length + refused.length).toBeLessThan(PLAYERS * TRANSFERS_EACH);
    await instances[0].exited;
    await startInstance();
    await Promise.all(stream);
    clients.forEach((client) => client.close());

    expect(refused.filter((code) => code !== 'insufficient_gold')).toEqual([]);
    expect(acked.length).toBeGreaterThan((PLAYERS * TRANSFERS_EACH) / 2);
    const expected = new Map(clients.map((client) => [client.playerId, START_GOLD]));
    for (const { from, to, amount } of acked) {
      expected.set(from, expected.get(from)! - amount);
      expected.set(to, expected.get(to)! + amount);
    }
    const balances = async () =>
      Promise.all(
        clients.map(async (client) => [client.playerId, ((await (await admin(`${client.playerId}/inventory`)).json()) as { gold: number }).gold] as const),
      );
    const settled = await pollUntil(
      'every credit landed',
      async () => {
        const now = await balances();
        return now.every(([playerId, gold]) => gold === expected.get(playerId)) ? now : undefined;
      },
      60_000,
      500,
    ).catch(async () => balances());
    expect(Object.fromEntries(settled)).toEqual(Object.fromEntries(expected));
    expect(settled.reduce((sum, [, gold]) => sum + gold, 0)).toBe(PLAYERS * START_GOLD);
  });
});
