import { Admin, logLevel } from 'kafkajs';
import { parseEnv, topicsEnvSchema } from '@app/config';
import { createKafka, eventsTopicOf } from '@app/kafka';
import { migrate } from '@app/postgres';
import { provisionFromEnv } from '../../scripts/lib/provision';
import { AppProcess } from '../support/app-process';
import { GatewayProcess, startGateway } from '../support/gateway-process';
import { AdminApi, settledLedger } from '../support/gold-ledger';
import { startInventory } from '../support/hosting-process';
import { OwnCluster } from '../support/own-broker';
import { pollUntil } from '../support/poll';
import { randomName, randomSuffix } from '../support/random-names';
import { testDatabaseUrl } from '../support/test-env';
import { loginTraders, TradingLoad, TradingPlayer } from '../support/trading-load';

const BROKERS = 3;
const PARTITIONS = 4;
const PLAYERS = 16;
const GRANTED = 1_000;
/** Acknowledgements that count as trading going on, at each point the test looks. */
const PROGRESS = 200;
const ADMIN_TOKEN = `test-admin-token-${randomSuffix()}`;

type Owner = AppProcess & { port: number };

const servingPartitions = async (owner: Owner): Promise<number> => {
  const response = await fetch(`http://127.0.0.1:${owner.port}/engine/status`).catch(() => undefined);
  if (!response?.ok) return 0;
  return ((await response.json()) as { partitions: { phase: string }[] }).partitions.filter(({ phase }) => phase === 'serving').length;
};

/**
 * Point 5 of issue 14: a three-broker KRaft cluster of the test's own (every node broker and controller, topics with
 * replication factor 3, min.insync.replicas=2, the apps producing with acks=all). One broker that leads partitions of
 * the inventory's log is killed with kill -9 under trading: trading goes on on the other two, and every acknowledged
 * transfer is there, in the balances and in the log a fresh owner recovers from.
 */
describe('a broker of a three-broker cluster killed under load (real processes)', () => {
  let cluster: OwnCluster | undefined;
  let admin: Admin | undefined;
  let gateway: GatewayProcess | undefined;
  let players: TradingPlayer[] = [];
  const owners: Owner[] = [];
  const prefix = `${randomName('cluster')}-`;
  const eventsTopic = eventsTopicOf(prefix, 'inventory');

  beforeAll(async () => {
    await migrate(testDatabaseUrl());
    cluster = await OwnCluster.start(BROKERS);
    // The project's own provisioning step, told the replication factor as an operator would.
    await provisionFromEnv(
      parseEnv(topicsEnvSchema, { KAFKA_BROKERS: cluster.brokers, TOPIC_PREFIX: prefix, KAFKA_PARTITIONS: String(PARTITIONS), KAFKA_REPLICATION_FACTOR: '3' }),
      prefix,
    );
    admin = createKafka({ brokers: cluster.brokers.split(','), clientId: prefix, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const env = { KAFKA_BROKERS: cluster.brokers };
    for (let index = 0; index < 2; index++) owners.push(await startInventory(prefix, 'live', env));
    await pollUntil(
      'both owners serving two partitions each',
      async () => ((await Promise.all(owners.map(servingPartitions))).every((serving) => serving === PARTITIONS / 2) ? true : undefined),
      60_000,
    );
    gateway = await startGateway({ ...env, TOPIC_PREFIX: prefix, ADMIN_TOKEN });
  });

  afterAll(async () => {
    players.forEach(({ socket }) => socket.close());
    await gateway?.stop();
    for (const owner of owners) owner.kill();
    await Promise.all(owners.map((owner) => owner.exited));
    await admin?.disconnect();
    await cluster?.remove();
  });

  const eventsPartitions = async () => (await admin!.fetchTopicMetadata({ topics: [eventsTopic] })).topics[0].partitions;

  it('keeps trading on the other two brokers and loses nothing it acknowledged', async () => {
    expect((await eventsPartitions()).map(({ replicas, isr }) => [replicas.length, isr.length])).toEqual(Array(PARTITIONS).fill([BROKERS, BROKERS]));
    const adminApi = new AdminApi(gateway!.url, ADMIN_TOKEN);
    players = await loginTraders(
      gateway!.url,
      Array.from({ length: PLAYERS }, (_, index) => `cluster_${randomSuffix()}_${index}`),
    );
    await adminApi.grantAll(players, GRANTED);
    const load = new TradingLoad(players);
    const began = Date.now();
    const marks: string[] = [];
    const mark = (what: string) => marks.push(`${what} at ${((Date.now() - began) / 1_000).toFixed(1)} s (${load.acked.length} acked)`);
    load.start(2);
    await pollUntil('trading under way', () => (load.acked.length >= PROGRESS ? true : undefined), 60_000);

    // The leader of the inventory log's partition 0: killing it moves at least that partition's leadership.
    const before = await eventsPartitions();
    const victim = before.find(({ partitionId }) => partitionId === 0)!.leader;
    const led = before.filter(({ leader }) => leader === victim).map(({ partitionId }) => partitionId);
    await cluster!.node(victim).kill();
    mark(`broker ${victim} (leading events partitions ${led.join(', ')}) killed`);
    const ackedAtKill = load.acked.length;
    await pollUntil('trading on the two brokers left', () => (load.acked.length >= ackedAtKill + PROGRESS ? true : undefined), 90_000);
    mark(`${PROGRESS} more acknowledged`);
    const after = await pollUntil(
      'the dead broker out of every partition it led and of every in-sync set',
      async () => {
        const partitions = await eventsPartitions();
        return partitions.every(({ leader, isr }) => leader !== victim && !isr.includes(victim)) ? partitions : undefined;
      },
      60_000,
    );
    const ackedAfter = load.acked.length;
    await pollUntil('trading goes on', () => (load.acked.length >= ackedAfter + PROGRESS ? true : undefined), 60_000);
    const figures = await load.stop();
    console.log(
      `broker killed in a ${BROKERS}-broker cluster: ${marks.join(', ')}; leaders after ${JSON.stringify(after.map(({ partitionId, leader, isr }) => ({ partitionId, leader, isr })))}; ` +
        JSON.stringify(figures),
    );

    for (const app of [gateway!.process, ...owners]) expect(app.child.exitCode ?? app.child.signalCode).toBeNull();
    expect({ missing: figures.missing, refused: figures.refused }).toEqual({ missing: 0, refused: {} });
    const { differing, total } = await settledLedger(adminApi, players, GRANTED, load.acked);
    expect(differing).toEqual([]);
    expect(total).toBe(PLAYERS * GRANTED);

    // The owners' memory gone: a fresh owner rebuilds every partition from what the two brokers left hold.
    for (const owner of owners.splice(0)) owner.kill();
    owners.push(await startInventory(prefix, 'live', { KAFKA_BROKERS: cluster!.brokers }));
    await pollUntil('the fresh owner serving every partition', async () => ((await servingPartitions(owners[0])) === PARTITIONS ? true : undefined), 60_000);
    const recovered = await settledLedger(adminApi, players, GRANTED, load.acked);
    expect(recovered.differing).toEqual([]);
    expect(recovered.total).toBe(PLAYERS * GRANTED);
  });
});
