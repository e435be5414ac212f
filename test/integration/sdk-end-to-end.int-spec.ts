import { migrate } from '@app/postgres';
import { GameClient, GameError, Inventory } from '@app/sdk';
import { AppProcess } from '../support/app-process';
import { GatewayProcess, startGateway } from '../support/gateway-process';
import { pollUntil } from '../support/poll';
import { startInventory } from '../support/hosting-process';
import { provisionedTopics } from '../support/provisioned-topics';
import { randomSuffix } from '../support/random-names';
import { testDatabaseUrl } from '../support/test-env';

const ADMIN_TOKEN = `test-admin-token-${randomSuffix()}`;

/**
 * Every inventory flow and refusal of PROTOCOL.md as a game sees it: through the SDK, against two gateway
 * processes and two inventory processes on real Kafka and PostgreSQL.
 */
describe('the SDK end to end: two gateways, two inventory instances', () => {
  let topics: Awaited<ReturnType<typeof provisionedTopics>>;
  const gateways: GatewayProcess[] = [];
  const inventories: AppProcess[] = [];
  const clients: GameClient[] = [];

  beforeAll(async () => {
    await migrate(testDatabaseUrl());
    topics = await provisionedTopics(4);
    inventories.push(await startInventory(topics.prefix, 'live'), await startInventory(topics.prefix, 'live'));
    gateways.push(await startGateway({ TOPIC_PREFIX: topics.prefix, ADMIN_TOKEN }));
    gateways.push(await startGateway({ TOPIC_PREFIX: topics.prefix, ADMIN_TOKEN, JWT_SECRET: gateways[0].jwtSecret }));
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    for (const inventory of inventories) inventory.kill();
    await Promise.all(inventories.map((inventory) => inventory.exited));
    await topics?.remove();
  });

  async function login(via: GatewayProcess): Promise<GameClient> {
    const client = await GameClient.login({ url: via.url, retry: { attempts: 12, baseDelayMs: 50, maxDelayMs: 2_000 } }, `e2e_${randomSuffix()}`);
    clients.push(client);
    return client;
  }
  const admin = async (path: string, body?: object): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(`${gateways[0].url}/admin/players/${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const stored = async (playerId: string) => (await admin(`${playerId}/inventory`)).body as Inventory;
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => 'accepted',
      (error: unknown) => (error instanceof GameError ? error.code : `not a GameError: ${String(error)}`),
    );

  it('runs every flow: grants, get, use, equip, unequip, discard, gold and items both ways, a refund, pushes across gateways', async () => {
    const [alice, bob] = [await login(gateways[0]), await login(gateways[1])];
    expect(await alice.get()).toEqual({ playerId: alice.playerId, gold: 0, items: {}, equipment: {}, version: 1 });
    expect((await admin(`${alice.playerId}/grants`, { grantId: 'start', gold: 100, items: { potion: 3, sword: 1, shield: 1, wood: 10 } })).status).toBe(200);
    await pollUntil('the grant pushed to alice', () => (alice.inventory?.gold === 100 ? true : undefined));

    expect(await alice.use('potion')).toMatchObject({ items: { potion: 2 } });
    expect(await alice.equip('sword')).toMatchObject({ equipment: { weapon: 'sword' }, items: { potion: 2, shield: 1, wood: 10 } });
    expect(await alice.equip('shield')).toMatchObject({ equipment: { weapon: 'sword', offhand: 'shield' }, items: { potion: 2, wood: 10 } });
    expect(await alice.unequip('weapon')).toMatchObject({ equipment: { offhand: 'shield' }, items: { sword: 1 } });
    expect(await alice.discard('wood', 4)).toMatchObject({ items: { wood: 6 } });
    expect(await alice.transferGold(bob.playerId, 30)).toMatchObject({ gold: 70 });
    expect(await alice.giveItem(bob.playerId, 'potion', 2)).toMatchObject({ items: { sword: 1, wood: 6 } });
    // Bob is on the other gateway: he hears of both credits, and sends some back.
    await pollUntil('bob credited', () => (bob.inventory?.gold === 30 && bob.inventory.items.potion === 2 ? true : undefined));
    expect(await bob.giveItem(alice.playerId, 'potion', 1)).toMatchObject({ items: { potion: 1 } });
    expect(await bob.transferGold(alice.playerId, 5)).toMatchObject({ gold: 25 });
    await pollUntil('alice credited back', () => (alice.inventory?.gold === 75 && alice.inventory.items.potion === 1 ? true : undefined));

    // To nobody: debited at once, refunded once the receiver's partition finds no such player.
    expect(await alice.transferGold(`p_nobody_${randomSuffix()}`, 25)).toMatchObject({ gold: 50 });
    expect(await alice.giveItem(`p_nobody_${randomSuffix()}`, 'wood', 6)).toMatchObject({ items: { sword: 1, potion: 1 } });
    await pollUntil('alice refunded', () => (alice.inventory?.gold === 75 && alice.inventory.items.wood === 6 ? true : undefined));
    expect(await stored(alice.playerId)).toEqual(alice.inventory);
    expect(await stored(bob.playerId)).toMatchObject({ gold: 25, items: { potion: 1 } });
  });

  it('turns every refusal of PROTOCOL.md into a GameError with its code, changing nothing', async () => {
    const [carol, dave] = [await login(gateways[1]), await login(gateways[0])];
    await admin(`${carol.playerId}/grants`, { grantId: 'start', gold: 10, items: { potion: 1, sword: 1 } });
    const before = await carol.get();

    expect(await refusal(carol.transferGold(carol.playerId, 1))).toBe('invalid_payload');
    expect(await refusal(carol.use('sword'))).toBe('invalid_payload');
    expect(await refusal(carol.discard('dragon', 1))).toBe('unknown_item');
    expect(await refusal(carol.discard('potion', 2))).toBe('insufficient_quantity');
    expect(await refusal(carol.transferGold(dave.playerId, 11))).toBe('insufficient_gold');
    expect(await refusal(carol.equip('potion'))).toBe('not_equippable');
    expect(await refusal(carol.unequip('offhand'))).toBe('not_found');
    expect(await carol.get()).toEqual(before);

    // A bag of 20 slots: 19 full stacks of wood and the potion leave no room for the sword once equipped.
    expect(await carol.equip('sword')).toMatchObject({ equipment: { weapon: 'sword' } });
    expect((await admin(`${carol.playerId}/grants`, { grantId: 'wood', gold: 0, items: { wood: 19 * 99 } })).status).toBe(200);
    const full = await carol.get();
    expect(await refusal(carol.unequip('weapon'))).toBe('inventory_full');
    expect(await admin(`${carol.playerId}/grants`, { grantId: 'more', gold: 0, items: { potion: 20 } })).toMatchObject({
      status: 422,
      body: { ok: false, error: { code: 'inventory_full' } },
    });
    expect(await carol.get()).toEqual(full);
    expect(await refusal(carol.discard('wood', 1))).toBe('accepted');
  });

  it('retries rate_limited and unavailable with the same commandId: each command applied exactly once', async () => {
    const erin = await login(gateways[0]);
    await admin(`${erin.playerId}/grants`, { grantId: 'start', gold: 0, items: { wood: 90 } });
    // Twice the socket's 20 events a second at once: the ones refused for rate go again after a backoff.
    await Promise.all(Array.from({ length: 40 }, () => erin.discard('wood', 1)));
    expect(await stored(erin.playerId)).toMatchObject({ items: { wood: 50 } });

    // No inventory instance at all: the gateway answers unavailable, and the SDK keeps trying until one is back.
    const probe = await GameClient.login({ url: gateways[0].url, retry: { attempts: 1 } }, `probe_${randomSuffix()}`);
    clients.push(probe);
    for (const inventory of inventories.splice(0)) {
      inventory.kill('SIGTERM');
      await inventory.exited;
    }
    const discarded = erin.discard('wood', 5);
    // Sent after the discard, with the same 5 s wait at the gateway: once it is unavailable, so was the discard's first try.
    expect(await refusal(probe.get())).toBe('unavailable');
    inventories.push(await startInventory(topics.prefix, 'ready'));
    expect(await discarded).toMatchObject({ items: { wood: 45 } });
    expect(await stored(erin.playerId)).toMatchObject({ items: { wood: 45 } });
  });
});
