import { Admin } from 'kafkajs';
import { changesTopicOf } from '@app/kafka';
import { migrate } from '@app/postgres';
import { GameClient, Inventory } from '@app/sdk';
import { AppProcess } from '../support/app-process';
import { GatewayProcess, startGateway } from '../support/gateway-process';
import { startInventory } from '../support/hosting-process';
import { pollUntil } from '../support/poll';
import { provisionedTopics } from '../support/provisioned-topics';
import { randomSuffix } from '../support/random-names';
import { testDatabaseUrl } from '../support/test-env';
import { testKafka } from '../support/test-kafka';

const PARTITIONS = 4;
const ADMIN_TOKEN = `test-admin-token-${randomSuffix()}`;
/** No changes topic: gateways hear inventories only from the owners they follow them at. Quick failover besides. */
const OWNER_ENV = { PUBLISH_CHANGES: 'off', KAFKA_SESSION_TIMEOUT_MS: '6000' };

/**
 * `inventory:changed` comes over the owner links (issue 13): each gateway follows the inventories of the players
 * connected to it at their owners, which write nothing to the changes topic with PUBLISH_CHANGES=off.
 */
describe('inventory pushes follow the players: from the owner to the gateway the player is connected to', () => {
  let topics: Awaited<ReturnType<typeof provisionedTopics>>;
  let admin: Admin;
  const gateways: GatewayProcess[] = [];
  const inventories: AppProcess[] = [];
  const clients: GameClient[] = [];

  beforeAll(async () => {
    await migrate(testDatabaseUrl());
    topics = await provisionedTopics(PARTITIONS);
    admin = testKafka(`inventory-follows-${randomSuffix()}`).admin();
    await admin.connect();
    inventories.push(await startInventory(topics.prefix, 'ready', OWNER_ENV));
    for (let index = 0; index < 2; index++) gateways.push(await startGateway({ TOPIC_PREFIX: topics.prefix, ADMIN_TOKEN }));
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    for (const inventory of inventories) inventory.kill();
    await Promise.all(inventories.map((inventory) => inventory.exited));
    await admin?.disconnect();
    await topics?.remove();
  });

  async function login(gateway: GatewayProcess): Promise<{ client: GameClient; heard: Inventory[] }> {
    const client = await GameClient.login({ url: gateway.url, retry: { attempts: 12, baseDelayMs: 50, maxDelayMs: 2_000 } }, `invfollow_${randomSuffix()}`);
    clients.push(client);
    const heard: Inventory[] = [];
    client.onInventory((inventory) => heard.push(inventory));
    return { client, heard };
  }

  const grant = async (gateway: GatewayProcess, playerId: string, grantId: string, gold: number) => {
    const response = await fetch(`${gateway.url}/admin/players/${playerId}/grants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ grantId, gold }),
    });
    expect(response.status).toBe(200);
  };

  const pushed = (heard: Inventory[], gold: number, what: string) =>
    pollUntil(`${what}: a push with ${gold} gold`, () => (heard.some((inventory) => inventory.gold === gold) ? true : undefined), 30_000);

  it('pushes a transfer and a grant to the receiver on another gateway, through a replaced owner, and writes no changes', async () => {
    const [first, second] = gateways;
    const alice = await login(first);
    const bob = await login(second);
    await grant(first, alice.client.playerId, 'start', 100);
    // Bob's gateway asked to follow him as his socket connected, on the link this read then takes: followed by now.
    expect((await bob.client.get()).gold).toBe(0);

    expect((await alice.client.transferGold(bob.client.playerId, 10)).gold).toBe(90);
    await pushed(bob.heard, 10, 'the transfer on the receiver’s gateway');
    // An admin grant made through the other gateway.
    await grant(first, bob.client.playerId, 'bonus', 5);
    await pushed(bob.heard, 15, 'the grant');

    // A second owner joins, then the first stops as planned: every partition, Bob's among them, moves to the second.
    inventories.push(await startInventory(topics.prefix, 'live', OWNER_ENV));
    inventories[0].kill('SIGTERM');
    await inventories[0].exited;
    expect((await alice.client.transferGold(bob.client.playerId, 7)).gold).toBe(83);
    await pushed(bob.heard, 22, 'a transfer after the owner was replaced');
    // Followed at the new owner by now (pushed live, or read once the follow moved): the next comes as it happens.
    expect((await alice.client.transferGold(bob.client.playerId, 3)).gold).toBe(80);
    await pushed(bob.heard, 25, 'the next transfer');

    const offsets = await admin.fetchTopicOffsets(changesTopicOf(topics.prefix, 'inventory'));
    expect(offsets.map(({ high }) => high)).toEqual(Array.from({ length: PARTITIONS }, () => '0'));
  });
});
