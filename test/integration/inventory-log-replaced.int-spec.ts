import { DataSource } from 'typeorm';
import { eventsTopicOf } from '@app/kafka';
import { dataSourceOptions, migrate } from '@app/postgres';
import { AppProcess } from '../support/app-process';
import { GatewayProcess, startGateway } from '../support/gateway-process';
import { AdminApi, settledLedger } from '../support/gold-ledger';
import { startInventory } from '../support/hosting-process';
import { pollUntil } from '../support/poll';
import { provisionedTopics } from '../support/provisioned-topics';
import { randomSuffix } from '../support/random-names';
import { testDatabaseUrl } from '../support/test-env';
import { loginTraders, TradingLoad, TradingPlayer } from '../support/trading-load';

const ADMIN_TOKEN = `test-admin-token-${randomSuffix()}`;
const PLAYERS = 8;
const START_GOLD = 100;
/** Transfers acknowledged on the earlier log before the stack stops. */
const OLD_LOG_TRANSFERS = PLAYERS * 10;
/** The earlier log is snapshotted often; the new one only on a planned stop, so the old snapshots stay the newest by offset. */
const OLD_LOG_ENV = { KAFKA_SESSION_TIMEOUT_MS: '6000', SNAPSHOT_EVERY_RECORDS: '10' };
const NEW_LOG_ENV = { KAFKA_SESSION_TIMEOUT_MS: '6000', SNAPSHOT_EVERY_RECORDS: '1000000', SNAPSHOT_EVERY_MS: '600000' };

type Trading = { players: TradingPlayer[]; load: TradingLoad };

/**
 * The README's clean slate, as operators do it: the broker's data is wiped (here: every topic deleted and provisioned
 * again under the same names) while PostgreSQL keeps its snapshots of the earlier log. Then players trade while an
 * inventory owner is killed: the next owner must recover from the new log, never from the old log's snapshots.
 */
describe('inventory: a database that outlived its Kafka log', () => {
  let topics: Awaited<ReturnType<typeof provisionedTopics>>;
  let gateway: GatewayProcess | undefined;
  let instances: AppProcess[] = [];
  const players: TradingPlayer[] = [];
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
    for (const player of players) player.socket.close();
    await gateway?.stop();
    for (const instance of instances) instance.kill();
    await Promise.all(instances.map((instance) => instance.exited));
    await topics?.remove();
    await dataSource?.destroy();
  });

  const admin = () => new AdminApi(gateway!.url, ADMIN_TOKEN);

  /** New players (none of them in the old snapshots) with their starting gold, trading among themselves. */
  async function startTrading(): Promise<Trading> {
    const traders = await loginTraders(
      gateway!.url,
      Array.from({ length: PLAYERS }, () => `slate_${randomSuffix()}`),
    );
    players.push(...traders);
    await admin().grantAll(traders, START_GOLD);
    const load = new TradingLoad(traders);
    load.start(1);
    return { players: traders, load };
  }

  const acknowledged = (load: TradingLoad, count: number) =>
    pollUntil(`${count} transfers acknowledged`, () => (load.acked.length >= count ? true : undefined), 60_000);

  /** Stops the trading; fails unless every acknowledged transfer is applied once, gold is conserved, and only a lack of gold was refused. */
  async function expectEveryAckAppliedOnce({ players: traders, load }: Trading): Promise<void> {
    const { refused } = await load.stop();
    expect(Object.keys(refused).filter((code) => code !== 'insufficient_gold')).toEqual([]);
    const { differing, total } = await settledLedger(admin(), traders, START_GOLD, load.acked);
    expect(differing).toEqual([]);
    expect(total).toBe(PLAYERS * START_GOLD);
  }

  it('applies every acknowledged command exactly once and conserves gold, through kill -9, with the old snapshots still in the database', async () => {
    await startStack(OLD_LOG_ENV);
    const oldLog = await startTrading();
    await acknowledged(oldLog.load, OLD_LOG_TRANSFERS);
    await expectEveryAckAppliedOnce(oldLog);
    await stopStack();
    const stream = eventsTopicOf(topics.prefix, 'inventory');
    const [{ count }] = (await dataSource.query(`SELECT count(*)::int AS count FROM "partition_snapshots" WHERE "stream" = $1`, [stream])) as {
      count: number;
    }[];
    expect(count).toBeGreaterThan(0);

    await topics.recreate();
    await startStack(NEW_LOG_ENV);
    const newLog = await startTrading();
    // Past the old log's length before the kill, so the old snapshots' offsets lie inside the new log.
    await acknowledged(newLog.load, oldLog.load.acked.length * 2.5);
    instances[0].kill('SIGKILL');
    await instances[0].exited;
    instances.push(await startInventory(topics.prefix, 'live', NEW_LOG_ENV));
    // Trading goes on once the replacement is up; stopping waits until every command begun is acknowledged.
    await acknowledged(newLog.load, newLog.load.acked.length + PLAYERS * 5);
    await expectEveryAckAppliedOnce(newLog);
    const outputs = instances.map((instance) => instance.output).join('\n');
    expect(outputs).toContain('the log refutes it');
  });
});
