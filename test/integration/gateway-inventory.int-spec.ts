import { randomUUID } from 'node:crypto';
import { io, Socket } from 'socket.io-client';
import { migrate } from '@app/postgres';
import { InventoryReply } from '@app/protocol';
import { GameClient, GameError } from '@app/sdk';
import { AppProcess } from '../support/app-process';
import { GatewayProcess, startGateway } from '../support/gateway-process';
import { dropConnection } from '../support/drop-connection';
import { pollUntil } from '../support/poll';
import { startInventory } from '../support/hosting-process';
import { provisionedTopics } from '../support/provisioned-topics';
import { randomSuffix } from '../support/random-names';
import { testDatabaseUrl } from '../support/test-env';

const ADMIN_TOKEN = `test-admin-token-${randomSuffix()}`;

interface Inventory {
  playerId: string;
  gold: number;
  items: Record<string, number>;
  equipment: Record<string, string>;
  version: number;
}

/** Inventory over Socket.IO and admin HTTP, end to end: a gateway process, an inventory process, Kafka, PostgreSQL. */
describe('gateway: inventory end to end', () => {
  let topics: Awaited<ReturnType<typeof provisionedTopics>>;
  let inventory: AppProcess;
  let gateway: GatewayProcess;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    await migrate(testDatabaseUrl());
    topics = await provisionedTopics();
    inventory = await startInventory(topics.prefix);
    gateway = await startGateway({ TOPIC_PREFIX: topics.prefix, ADMIN_TOKEN });
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await gateway?.stop();
    inventory?.kill('SIGTERM');
    await inventory?.exited;
    await topics?.remove();
  });

  async function player(name = `inv_${randomSuffix()}`, via = gateway): Promise<{ playerId: string; socket: Socket; changes: Inventory[] }> {
    const response = await fetch(`${via.url}/auth/guest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
    expect(response.status).toBe(201);
    const { playerId, token } = (await response.json()) as { playerId: string; token: string };
    const socket = io(via.url, { auth: { token }, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    const changes: Inventory[] = [];
    socket.on('inventory:changed', ({ inventory }: { inventory: Inventory }) => changes.push(inventory));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return { playerId, socket, changes };
  }

  const get = (socket: Socket): Promise<InventoryReply> => socket.timeout(15_000).emitWithAck('inventory:get', {});
  const command = (socket: Socket, payload: object): Promise<InventoryReply> => socket.timeout(15_000).emitWithAck('inventory:command', payload);
  const admin = (path: string, init: RequestInit = {}, token = ADMIN_TOKEN) =>
    fetch(`${gateway.url}/admin/players/${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    });
  const grant = (playerId: string, body: object) => admin(`${playerId}/grants`, { method: 'POST', body: JSON.stringify(body) });

  it('serves a new player an empty inventory, and admin grants reach the socket, idempotent by grantId', async () => {
    const alice = await player();
    expect(await get(alice.socket)).toEqual({ ok: true, inventory: { playerId: alice.playerId, gold: 0, items: {}, equipment: {}, version: 1 } });

    const body = { grantId: 'g-1', gold: 100, items: { potion: 3, sword: 1 } };
    const first = await grant(alice.playerId, body);
    expect(first.status).toBe(200);
    const granted = (await first.json()) as { ok: true; inventory: Inventory };
    expect(granted).toEqual({ ok: true, inventory: { playerId: alice.playerId, gold: 100, items: { potion: 3, sword: 1 }, equipment: {}, version: 2 } });
    expect(await (await grant(alice.playerId, body)).json()).toEqual(granted);
    await pollUntil('the grant pushed', () => (alice.changes.some((change) => change.version === 2) ? true : undefined));
    // Past the push of its registration (version 1), which may come before or after the socket joined.
    expect(alice.changes.filter((change) => change.version > 1)).toEqual([granted.inventory]);

    expect(await grant(alice.playerId, { ...body, grantId: 'g-2' }).then((response) => response.status)).toBe(200);
    expect((await admin(`${alice.playerId}/inventory`)).status).toBe(200);
    expect(((await (await admin(`${alice.playerId}/inventory`)).json()) as Inventory).gold).toBe(200);
    expect((await admin(`${alice.playerId}/inventory`, {}, 'wrong-token')).status).toBe(401);
    expect((await grant(alice.playerId, { ...body, grantId: 'g-3', items: { dragon: 1 } })).status).toBe(422);
    expect((await grant(alice.playerId, { ...body, grantId: 'g-4', extra: 1 })).status).toBe(400);
    expect((await admin(`p_nobody_${randomSuffix()}/inventory`)).status).toBe(404);
    expect(((await (await admin(`${alice.playerId}/inventory`)).json()) as Inventory).gold).toBe(200);
  });

  it('runs player commands with their rejections, transfers gold both ways, and refunds a transfer to nobody', async () => {
    const [alice, bob] = [await player(), await player()];
    await grant(alice.playerId, { grantId: 'start', gold: 50, items: { potion: 2, sword: 1, wood: 5 } });

    const use = { commandId: randomUUID(), type: 'use', itemId: 'potion' };
    const used = await command(alice.socket, use);
    expect(used).toMatchObject({ ok: true, inventory: { items: { potion: 1, sword: 1, wood: 5 } } });
    expect(await command(alice.socket, use)).toEqual(used);
    expect(await command(alice.socket, { commandId: randomUUID(), type: 'equip', itemId: 'sword' })).toMatchObject({
      ok: true,
      inventory: { equipment: { weapon: 'sword' } },
    });
    const refused = async (payload: object) => {
      const reply = await command(alice.socket, { commandId: randomUUID(), ...payload });
      return reply.ok ? undefined : reply.error.code;
    };
    expect(await refused({ type: 'use', itemId: 'wood' })).toBe('invalid_payload');
    expect(await refused({ type: 'discard', itemId: 'dragon', quantity: 1 })).toBe('unknown_item');
    expect(await refused({ type: 'discard', itemId: 'wood', quantity: 6 })).toBe('insufficient_quantity');
    expect(await refused({ type: 'equip', itemId: 'wood' })).toBe('not_equippable');
    expect(await refused({ type: 'unequip', slot: 'offhand' })).toBe('not_found');
    expect(await refused({ type: 'transfer-gold', toPlayerId: bob.playerId, amount: 51 })).toBe('insufficient_gold');
    expect(await refused({ type: 'transfer-gold', toPlayerId: bob.playerId, amount: -1 })).toBe('invalid_payload');
    expect(await refused({ type: 'teleport' })).toBe('invalid_payload');
    expect(await refused({ type: 'use', itemId: 'potion', extra: true })).toBe('invalid_payload');
    expect(await command(alice.socket, { type: 'use', itemId: 'potion' })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    // A socket acts for its token's player only: naming another one is not part of any command.
    await grant(bob.playerId, { grantId: 'bob-start', gold: 0, items: { potion: 1 } });
    expect(await refused({ type: 'use', itemId: 'potion', playerId: bob.playerId })).toBe('invalid_payload');
    expect(await refused({ type: 'use', itemId: 'potion', aggregateId: bob.playerId })).toBe('invalid_payload');
    expect(await get(bob.socket)).toMatchObject({ ok: true, inventory: { items: { potion: 1 } } });
    expect((await fetch(`${gateway.url}/admin/players/${bob.playerId}/inventory`)).status).toBe(401);
    expect(
      (
        await fetch(`${gateway.url}/admin/players/${bob.playerId}/grants`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ grantId: 'x', gold: 1 }),
        })
      ).status,
    ).toBe(401);

    expect(await command(alice.socket, { commandId: randomUUID(), type: 'transfer-gold', toPlayerId: bob.playerId, amount: 20 })).toMatchObject({
      ok: true,
      inventory: { gold: 30 },
    });
    expect(await command(alice.socket, { commandId: randomUUID(), type: 'give-item', toPlayerId: bob.playerId, itemId: 'wood', quantity: 2 })).toMatchObject({
      ok: true,
    });
    await pollUntil('bob credited and told', () => (bob.changes.some((change) => change.gold === 20 && change.items.wood === 2) ? true : undefined));
    expect(await get(bob.socket)).toMatchObject({ ok: true, inventory: { gold: 20, items: { wood: 2 } } });

    const nobody = `p_nobody_${randomSuffix()}`;
    const sent = await command(alice.socket, { commandId: randomUUID(), type: 'transfer-gold', toPlayerId: nobody, amount: 10 });
    expect(sent).toMatchObject({ ok: true, inventory: { gold: 20 } });
    // Pushes come apart from replies: only one newer than the transfer's own can be the refund.
    const version = sent.ok ? sent.inventory.version : Infinity;
    await pollUntil('alice refunded and told', () => (alice.changes.some((change) => change.version > version && change.gold === 30) ? true : undefined));
    expect(await get(alice.socket)).toMatchObject({ ok: true, inventory: { gold: 30 } });
    expect(inventory.child.exitCode).toBeNull();
  });

  it('keeps commandIds per player: players sending the same commandId each get their own outcome, applied once', async () => {
    // Three players on two partitions: at least two share a partition, and so its dedupe window.
    const players = [await player(), await player(), await player()];
    for (const { playerId } of players) expect((await grant(playerId, { grantId: 'start', gold: 10 })).status).toBe(200);
    const replies = await Promise.all(
      players.map(({ socket }, index) =>
        command(socket, { commandId: 'same-id', type: 'transfer-gold', toPlayerId: players[(index + 1) % 3].playerId, amount: index + 1 }),
      ),
    );
    expect(replies.map((reply) => (reply.ok ? reply.inventory.playerId : reply.error.code))).toEqual(players.map(({ playerId }) => playerId));
    // Each sent index + 1 and received what the one before it sent.
    const expected = [10 - 1 + 3, 10 - 2 + 1, 10 - 3 + 2];
    await pollUntil('every transfer credited', async () => {
      const gold = await Promise.all(players.map(async ({ playerId }) => ((await (await admin(`${playerId}/inventory`)).json()) as Inventory).gold));
      return gold.every((amount, index) => amount === expected[index]) ? true : undefined;
    });
  });

  it('lets a player move to another gateway instance: a retried command gets its first outcome, pushes follow', async () => {
    const other = await startGateway({ TOPIC_PREFIX: topics.prefix, ADMIN_TOKEN, JWT_SECRET: gateway.jwtSecret });
    try {
      const name = `move_${randomSuffix()}`;
      const before = await player(name);
      await grant(before.playerId, { grantId: 'start', gold: 10, items: { potion: 2 } });
      const use = { commandId: randomUUID(), type: 'use', itemId: 'potion' };
      const first = await command(before.socket, use);
      expect(first).toMatchObject({ ok: true, inventory: { items: { potion: 1 } } });
      before.socket.disconnect();

      const after = await player(name, other);
      expect(after.playerId).toBe(before.playerId);
      expect(await command(after.socket, use)).toEqual(first);
      expect(await get(after.socket)).toMatchObject({ ok: true, inventory: { items: { potion: 1 }, gold: 10 } });
      // A grant made through the first instance reaches the player on the second.
      await grant(after.playerId, { grantId: 'more', gold: 5 });
      await pollUntil('the push on the other instance', () => (after.changes.some((change) => change.gold === 15) ? true : undefined));
    } finally {
      await other.stop();
    }
  });

  it('works through the SDK: typed commands, coded errors, and a resync after the connection drops', async () => {
    const options = { url: gateway.url, retry: { baseDelayMs: 20 } };
    const [dana, erin] = await Promise.all([GameClient.login(options, `sdk_${randomSuffix()}`), GameClient.login(options, `sdk_${randomSuffix()}`)]);
    try {
      await grant(dana.playerId, { grantId: 'start', gold: 40, items: { potion: 2, shield: 1 } });
      expect(await dana.use('potion')).toMatchObject({ items: { potion: 1, shield: 1 } });
      expect(await dana.equip('shield')).toMatchObject({ equipment: { offhand: 'shield' } });
      expect(await dana.unequip('offhand')).toMatchObject({ equipment: {}, items: { shield: 1 } });
      expect(await dana.giveItem(erin.playerId, 'potion', 1)).toMatchObject({ items: { shield: 1 } });
      expect(await dana.transferGold(erin.playerId, 15)).toMatchObject({ gold: 25 });
      await expect(dana.transferGold(erin.playerId, 1_000)).rejects.toEqual(new GameError('insufficient_gold', 'have 25 gold'));
      await expect(dana.discard('dragon', 1)).rejects.toMatchObject({ code: 'unknown_item' });
      await pollUntil('erin told of both', () => (erin.inventory?.gold === 15 && erin.inventory.items.potion === 1 ? true : undefined));

      // The connection drops; a grant made meanwhile is pushed to nobody, and a command waits for the reconnect.
      const seen: number[] = [];
      dana.onInventory((inventory) => seen.push(inventory.gold));
      dropConnection(dana);
      await grant(dana.playerId, { grantId: 'while-away', gold: 100 });
      expect(await dana.discard('shield', 1)).toMatchObject({ gold: 125, items: {} });
      await pollUntil('dana resynced', () => (dana.inventory?.gold === 125 ? true : undefined));
      expect(seen.at(-1)).toBe(125);
      expect(((await (await admin(`${dana.playerId}/inventory`)).json()) as Inventory).gold).toBe(125);
    } finally {
      dana.close();
      erin.close();
    }
  });

  it('documents the admin API at /admin/docs', async () => {
    expect((await fetch(`${gateway.url}/admin/docs`)).status).toBe(200);
    const document = (await (await fetch(`${gateway.url}/admin/docs-json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(document.paths).sort()).toEqual([
      '/admin/cluster',
      '/admin/economy',
      '/admin/player-names/{name}',
      '/admin/players/{playerId}/grants',
      '/admin/players/{playerId}/history',
      '/admin/players/{playerId}/inventory',
      '/admin/zones/{zoneId}',
      '/admin/zones/{zoneId}/stats',
    ]);
    expect(Object.keys(document.paths['/admin/players/{playerId}/grants'])).toEqual(['post']);
    expect(JSON.stringify(document.paths['/admin/players/{playerId}/grants'].post)).toContain('grantId');
  });

  it('refuses oversized payloads and floods of events per socket, changing nothing, and serves again after', async () => {
    const carol = await player();
    await grant(carol.playerId, { grantId: 'start', gold: 5 });
    const oversized = await command(carol.socket, { commandId: randomUUID(), type: 'discard', itemId: 'x'.repeat(5_000), quantity: 1 });
    expect(oversized).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });

    const flood = await Promise.all(
      Array.from({ length: 40 }, () => command(carol.socket, { commandId: randomUUID(), type: 'transfer-gold', toPlayerId: 'p_x', amount: 100 })),
    );
    const codes = flood.map((reply) => (reply.ok ? 'ok' : reply.error.code));
    // 20 a second: of 40 sent at once, at most 20 go through (40 should the one-second window turn over midway).
    expect(codes.filter((code) => code === 'rate_limited').length).toBeGreaterThanOrEqual(1);
    expect(codes.filter((code) => code !== 'rate_limited').length).toBeLessThanOrEqual(20 * 2 - 1);
    expect(codes.filter((code) => code !== 'rate_limited')).toEqual(codes.filter((code) => code !== 'rate_limited').map(() => 'insufficient_gold'));
    const served = await pollUntil('carol served again', async () => {
      const reply = await get(carol.socket);
      return reply.ok ? reply : undefined;
    });
    expect(served.inventory.gold).toBe(5);
    expect(((await (await fetch(`${gateway.url}/health/live`)).json()) as { status: string }).status).toBe('ok');
  });
});
