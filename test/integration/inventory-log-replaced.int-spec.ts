import { DataSource } from 'typeorm';
import { eventsTopicOf } from '@app/kafka';
import { dataSourceOptions, migrate } from '@app/postgres';
import { GameClient, GameError } from '@app/sdk';
import { AppProcess } from '../support/app-process';
import { GatewayProcess, startGateway } from '../support/gateway-process';
import { startInventory } from '../support/hosting-process';
import { pollUntil } from '../support/poll';
import { provisionedTopics } from '../support/provisioned-topics';
import { randomSuffix } from '../support/random-names';
import { testDatabaseUrl } from '../support/test-env';

const ADMIN_TOKEN = `test-admin-token-${randomSuffix()}`;
const PLAYERS = 8;
const START_GOLD = 100;
/** The earlier log is snapshotted often; the new one only on a planned stop, so the old snapshots stay the newest by offset. */
const OLD_LOG_ENV = { KAFKA_SESSION_TIMEOUT_MS: '6000', SNAPSHOT_EVERY_RECORDS: '10' };
const NEW_LOG_ENV = { KAFKA_SESSION_TIMEOUT_MS: '6000', SNAPSHOT_EVERY_RECORDS: '1000000', SNAPSHOT_EVERY_MS: '600000' };

/**
 * The README's clean slate, as operators do it: the broker's data is wiped (here: every topic deleted and provisioned
 * again under the same names) while PostgreSQL keeps its snapshots of the earlier log. Then players trade while an
 * inventory owner is killed: the next owner must recover from the new log, never from the old log's snapshots.
 */
describe('inventory: a database that outlived its Kafka log', () => {
  let topics: Awaited<ReturnType<typeof provisionedTopics>>;
  let gateway: GatewayProcess | undefined;
  let instances: AppProcess[] = [];
  let dataSource: DataSource;

  async function startStack(env: Record<string, string>): Promise<void> {
    instances = [await startInventory(topics.prefix, 'live', env), await startInventory(topics.prefix, 'live', env)];
    gateway = await startGateway({ TOPIC_PREFIX: topics.prefix, ADMIN_TOKEN });
  }

  async function stopStack(): Promise<void> {
    await gateway?.stop();
    for (const instance of instances) instance.kill('SIGTERM');
    await Promise.all(instances.map((instance) => instance.exited));
  }

  beforeAll(async () => {
    await migrate(testDatabaseUrl());
    dataSource = await new DataSource(dataSourceOptions(testDatabaseUrl())).initialize();
    topics = await provisionedTopics(2);
  });

  afterAll(async () => {
    await gateway?.stop();
    for (const instance of instances) instance.kill();
    await Promise.all(instances.map((instance) => instance.exited));
    await topics?.remove();
    await dataSource?.destroy();
  });

  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${gateway!.url}/admin/players/${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' } });

  /** Players with their starting gold, trading in a ring until `transfersEach`; resolves with what was acknowledged. */
  async function trade(transfersEach: number, whileTrading: (sent: () => number) => Promise<void> = async () => undefined) {
    const clients = await Promise.all(
      Array.from({ length: PLAYERS }, () => GameClient.login({ url: gateway!.url, retry: { attempts: 30, baseDelayMs: 50, maxDelayMs: 1_000 } }, `slate_${randomSuffix()}`)),
    );
    for (const client of clients) {
      const response = await admin(`${client.playerId}/grants`, { method: 'POST', body: JSON.stringify({ grantId: 'start', gold: START_GOLD }) });
      expect(response.status).toBe(200);
    }
    const acked: { from: string; to: string; amount: number }[] = [];
    const refused: string[] = [];
    let sent = 0;
    const stream = clients.map(async (client, index) => {
      for (let round = 0; round < transfersEach; round++) {
        const to = clients[(index + 1 + ((round * 3) % (PLAYERS - 1))) % PLAYERS].playerId;
        sent++;
        try {
          await client.transferGold(to, 1 + ((index + round) % 7));
          acked.push({ from: client.playerId, to, amount: 1 + ((index + round) % 7) });
        } catch (error) {
          refused.push(error instanceof GameError ? error.code : String(error));
        }
      }
    });
    await whileTrading(() => sent);
    await Promise.all(stream);
    clients.forEach((client) => client.close());
    expect(refused.filter((code) => code !== 'insufficient_gold')).toEqual([]);
    return { players: clients.map((client) => client.playerId), acked };
  }

  async function expectEveryAckAppliedOnce({ players, acked }: Awaited<ReturnType<typeof trade>>): Promise<void> {
    const expected = new Map(players.map((playerId) => [playerId, START_GOLD]));
    for (const { from, to, amount } of acked) {
      expected.set(from, expected.get(from)! - amount);
      expected.set(to, expected.get(to)! + amount);
    }
    const balances = async () => Promise.all(players.map(async (playerId) => [playerId, ((await (await admin(`${playerId}/inventory`)).json()) as { gold: number }).gold] as const));
    const settled = await pollUntil('every credit landed', async () => {
      const now = await balances();
      return now.every(([playerId, gold]) => gold === expected.get(playerId)) ? now : undefined;
    }, 60_000, 500).catch(async () => balances());
    expect(Object.fromEntries(settled)).toEqual(Object.fromEntries(expected));
    expect(settled.reduce((sum, [, gold]) => sum + gold, 0)).toBe(PLAYERS * START_GOLD);
  }

  it('applies every acknowledged command exactly once and conserves gold, through kill -9, with the old snapshots still in the database', async () => {
    await startStack(OLD_LOG_ENV);
    await expectEveryAckAppliedOnce(await trade(10));
    await stopStack();
    const stream = eventsTopicOf(topics.prefix, 'inventory');
    const [{ count }] = (await dataSource.query(`SELECT count(*)::int AS count FROM "partition_snapshots" WHERE "stream" = $1`, [stream])) as { count: number }[];
    expect(count).toBeGreaterThan(0);

    await topics.recreate();
    await startStack(NEW_LOG_ENV);
    const traded = await trade(40, async (sent) => {
      // Past the old log's length before the kill, so the old snapshots' offsets lie inside the new log.
      await pollUntil('transfers flowing', () => (sent() >= PLAYERS * 25 ? true : undefined), 60_000);
      instances[0].kill('SIGKILL');
      await instances[0].exited;
      instances.push(await startInventory(topics.prefix, 'live', NEW_LOG_ENV));
    });
    await expectEveryAckAppliedOnce(traded);
    const outputs = instances.map((instance) => instance.output).join('\n');
    expect(outputs).toContain('the log refutes it');
  });
});
