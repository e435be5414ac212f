import { Admin, Kafka } from 'kafkajs';
import { LogRecord } from '@app/engine';
import { eventsTopicOf } from '@app/kafka';
import { migrate } from '@app/postgres';
import { GameClient } from '@app/sdk';
import { AppProcess } from '../support/app-process';
import { readCountedLog } from '../support/counted-log';
import { GatewayProcess, startGateway } from '../support/gateway-process';
import { startInventory } from '../support/hosting-process';
import { provisionedTopics } from '../support/provisioned-topics';
import { pollUntil } from '../support/poll';
import { randomSuffix } from '../support/random-names';
import { expectedGold, loginTraders, TradingLoad } from '../support/trading-load';
import { testKafka } from '../support/test-kafka';
import { testDatabaseUrl } from '../support/test-env';

const PARTITIONS = 4;
const ADMIN_TOKEN = `test-admin-token-${randomSuffix()}`;

type Outcome = Extract<LogRecord, { type: 'outcome' }>;

/**
 * Which way commands took, read from the log: an outcome record carries `commandOffset` only when its command came
 * through the commands topic; one sent straight to the partition's owner has none.
 */
describe('commands sent straight to the partition owner (real processes)', () => {
  let topics: Awaited<ReturnType<typeof provisionedTopics>>;
  let kafka: Kafka;
  let admin: Admin;
  const processes: AppProcess[] = [];
  const gateways: GatewayProcess[] = [];

  beforeAll(() => migrate(testDatabaseUrl()));

  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((gateway) => gateway.stop()));
    for (const process of processes.splice(0)) process.kill();
    await admin?.disconnect();
    await topics?.remove();
  });

  async function stack(inventoryEnv: Record<string, string>, gatewayEnvs: Record<string, string>[], inventories = 1): Promise<GatewayProcess[]> {
    topics = await provisionedTopics(PARTITIONS);
    // A client of its own per test: kafkajs keeps asking for the metadata of every topic it ever read, deleted or not.
    kafka = testKafka(`direct-${randomSuffix()}`);
    admin = kafka.admin();
    await admin.connect();
    for (let index = 0; index < inventories; index++) processes.push(await startInventory(topics.prefix, 'ready', inventoryEnv));
    for (const env of gatewayEnvs) gateways.push(await startGateway({ TOPIC_PREFIX: topics.prefix, ADMIN_TOKEN, ...env }));
    return gateways;
  }

  /** Logs a player in through `gateway`, grants it gold, and has it send gold twice. */
  async function trade(gateway: GatewayProcess, to: string): Promise<GameClient> {
    const client = await GameClient.login({ url: gateway.url }, `direct_${randomSuffix()}`);
    const granted = await fetch(`${gateway.url}/admin/players/${client.playerId}/grants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ grantId: 'start', gold: 50 }),
    });
    expect(granted.status).toBe(200);
    expect((await client.transferGold(to, 5)).gold).toBe(45);
    expect((await client.transferGold(to, 7)).gold).toBe(38);
    return client;
  }

  async function outcomesOf(playerId: string): Promise<Outcome[]> {
    const all = await Promise.all(
      Array.from({ length: PARTITIONS }, (_, partition) => readCountedLog(kafka, admin, eventsTopicOf(topics.prefix, 'inventory'), partition)),
    );
    return all.flat().flatMap(({ record }) => (record.type === 'outcome' && record.aggregateId === playerId ? [record] : []));
  }

  const transfers = (outcomes: Outcome[]) => outcomes.filter((record) => (record.events as { type: string }[]).some((event) => event.type === 'gold-sent'));

  it('takes the direct path by default and the commands topic when the gateway is told not to, applying each command once either way', async () => {
    const [direct, topicOnly] = await stack({}, [{}, { DIRECT_COMMANDS: 'off' }]);
    const receiver = await GameClient.login({ url: direct.url }, `receiver_${randomSuffix()}`);

    const viaOwner = await trade(direct, receiver.playerId);
    const viaTopic = await trade(topicOnly, receiver.playerId);

    const straight = transfers(await outcomesOf(viaOwner.playerId));
    const throughTopic = transfers(await outcomesOf(viaTopic.playerId));
    expect(straight).toHaveLength(2);
    expect(straight.every((record) => record.commandOffset === undefined)).toBe(true);
    expect(throughTopic).toHaveLength(2);
    expect(throughTopic.every((record) => Number.isInteger(record.commandOffset))).toBe(true);
    expect((await receiver.get()).gold).toBe(24);
    for (const client of [receiver, viaOwner, viaTopic]) client.close();
  });

  it('falls back to the commands topic when the owner advertises an address nobody answers at', async () => {
    // The owner listens on 127.0.0.1 but advertises 127.0.0.2: every connection to it is refused.
    const [gateway] = await stack({ DIRECT_ADVERTISED_HOST: '127.0.0.2' }, [{}]);
    const receiver = await GameClient.login({ url: gateway.url }, `receiver_${randomSuffix()}`);

    const client = await trade(gateway, receiver.playerId);

    const sent = transfers(await outcomesOf(client.playerId));
    expect(sent).toHaveLength(2);
    expect(sent.every((record) => Number.isInteger(record.commandOffset))).toBe(true);
    for (const each of [receiver, client]) each.close();
  });

  it('applies every acknowledged command once while an owner stops and its partitions move, whichever path each took', async () => {
    const [gateway] = await stack({}, [{}], 2);
    const players = await loginTraders(
      gateway.url,
      Array.from({ length: 8 }, () => `handoff_${randomSuffix()}`),
    );
    for (const { playerId } of players) {
      const granted = await fetch(`${gateway.url}/admin/players/${playerId}/grants`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ grantId: 'start', gold: 1_000 }),
      });
      expect(granted.status).toBe(200);
    }
    const load = new TradingLoad(players);
    load.start(2);
    await pollUntil('transfers flowing', () => (load.answered.ok >= 100 ? true : undefined));
    // A planned stop: its partitions move to the other owner while the gateway still sends to it.
    const leaving = processes.shift()!;
    leaving.kill('SIGTERM');
    await leaving.exited;
    const okAtStop = load.answered.ok;
    await pollUntil('transfers flowing after the handoff', () => (load.answered.ok >= okAtStop + 200 ? true : undefined), 60_000);
    const figures = await load.stop();
    for (const { socket } of players) socket.disconnect();

    expect(figures.missing).toBe(0);
    const expected = expectedGold(players, 1_000, load.acked);
    const outcomes = await Promise.all(players.map(({ playerId }) => outcomesOf(playerId)));
    const sentBy = (index: number) => transfers(outcomes[index]).length;
    // Every acknowledged transfer is in its sender's log once; refused ones are not there at all.
    players.forEach(({ playerId }, index) =>
      expect([playerId, sentBy(index)]).toEqual([playerId, load.acked.filter((entry) => entry.from === playerId).length]),
    );
    const balances = async () =>
      new Map(
        await Promise.all(
          players.map(async ({ playerId }) => {
            const response = await fetch(`${gateway.url}/admin/players/${playerId}/inventory`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
            return [playerId, ((await response.json()) as { gold: number }).gold] as const;
          }),
        ),
      );
    // Credits land through the outbox, after their transfers were acknowledged.
    const settled = await pollUntil('every credit landed', async () => {
      const now = await balances();
      return [...expected].every(([playerId, gold]) => now.get(playerId) === gold) ? now : undefined;
    }).catch(() => balances());
    expect(settled).toEqual(expected);
    // The owners were reached straight (the topic may have carried some while the partitions moved).
    const records = outcomes.flatMap(transfers);
    expect(records.some((record) => record.commandOffset === undefined)).toBe(true);
  });
});
