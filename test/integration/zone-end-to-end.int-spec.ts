import { io, Socket } from 'socket.io-client';
import { PartitionStatus } from '@app/engine';
import { partitionOfKey } from '@app/kafka';
import { migrate } from '@app/postgres';
import { GameClient, GameError } from '@app/sdk';
import { ZONES, ZoneEntity, ZoneSummary } from '@app/zone';
import { AppProcess } from '../support/app-process';
import { GatewayProcess, startGateway } from '../support/gateway-process';
import { startInventory, startZone } from '../support/hosting-process';
import { pollUntil } from '../support/poll';
import { provisionedTopics } from '../support/provisioned-topics';
import { randomSuffix } from '../support/random-names';
import { testDatabaseUrl } from '../support/test-env';

const ADMIN_TOKEN = `test-admin-token-${randomSuffix()}`;
const meadow = ZONES.meadow;

/** Zones end to end: SDK clients through a gateway to a zone process (and an inventory process for loot). */
describe('zone end to end', () => {
  let topics: Awaited<ReturnType<typeof provisionedTopics>>;
  let gateway: GatewayProcess;
  const hosts: AppProcess[] = [];
  const clients: GameClient[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    await migrate(testDatabaseUrl());
    topics = await provisionedTopics(2);
    // Snapshots by ticks only: records and time would never trigger one here.
    const snapshotsByTicks = { ZONE_SNAPSHOT_EVERY_TICKS: '20', SNAPSHOT_EVERY_RECORDS: '1000000', SNAPSHOT_EVERY_MS: '3600000' };
    hosts.push(await startInventory(topics.prefix), await startZone(topics.prefix, 'ready', snapshotsByTicks));
    gateway = await startGateway({ TOPIC_PREFIX: topics.prefix, ADMIN_TOKEN });
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    for (const socket of sockets) socket.disconnect();
    await gateway?.stop();
    for (const host of hosts) host.kill();
    await Promise.all(hosts.map((host) => host.exited));
    await topics?.remove();
  });

  async function player(): Promise<GameClient> {
    const client = await GameClient.login({ url: gateway.url, retry: { attempts: 12, baseDelayMs: 50, maxDelayMs: 2_000 } }, `zone_${randomSuffix()}`);
    clients.push(client);
    return client;
  }
  const admin = async (path: string) => {
    const response = await fetch(`${gateway.url}/admin/${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => 'accepted',
      (error: unknown) => (error instanceof GameError ? error.code : `not a GameError: ${String(error)}`),
    );

  it('lets players join, see each other, walk at their speed inside the bounds, with each input acknowledged by a tick', async () => {
    const [alice, bob] = [await player(), await player()];
    const snapshot = await alice.joinZone('meadow');
    expect(snapshot).toMatchObject({ zoneId: 'meadow', playerId: alice.playerId, ackSeq: -1 });
    expect(snapshot.entities).toContainEqual(expect.objectContaining({ id: alice.playerId, kind: 'player', hp: meadow.player.hp }));
    await bob.joinZone('meadow');
    // Both appear near the spawn point: each sees the other once a tick has gone by.
    await pollUntil('alice sees bob', () => (alice.zone!.entities.has(bob.playerId) ? true : undefined));

    const start = alice.zone!.self!;
    const seq = alice.move(1, 0);
    const moved = await pollUntil('alice walking east, her input acknowledged', () => {
      const zone = alice.zone!;
      return zone.ackSeq >= seq && zone.self!.x >= start.x + 3 * meadow.player.speed ? { tick: zone.tick, x: zone.self!.x } : undefined;
    });
    // Never faster than its speed: at most one step per tick since the input applied.
    expect(moved.x - start.x).toBeLessThanOrEqual((moved.tick - snapshot.tick) * meadow.player.speed);
    await pollUntil('bob sees alice move', () => ((bob.zone!.entities.get(alice.playerId)?.x ?? 0) > start.x ? true : undefined));
    alice.move(0, 0);

    const summary = (await admin('zones/meadow')).body as ZoneSummary;
    expect(summary).toMatchObject({ zoneId: 'meadow', stateHash: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(summary.tick).toBeGreaterThanOrEqual(moved.tick);
    expect(summary.players.map((entity) => entity.id)).toEqual(expect.arrayContaining([alice.playerId, bob.playerId]));
    expect((await admin('zones/atlantis')).status).toBe(404);

    // Time travel: the zone right after a past tick, rebuilt from the log; nothing for a tick not reached yet.
    expect((await admin(`zones/meadow?atTick=${summary.tick}`)).body).toEqual(summary);
    expect((await admin('zones/meadow?atTick=999999999')).status).toBe(404);
    expect((await admin('zones/meadow?atTick=-1')).status).toBe(400);
    expect((await admin('zones/meadow?atTick=soon')).status).toBe(400);
    expect((await admin('zones/atlantis?atTick=1')).status).toBe(404);
  });

  it('stops a player walking out of the zone at its edge', async () => {
    const erin = await player();
    await erin.joinZone('meadow');
    const start = erin.zone!.self!;
    erin.move(-1, 0);
    const edge = await pollUntil('erin at the west edge', () => (erin.zone!.self?.x === 0 ? erin.zone!.tick : undefined), 30_000);
    // Still pushing west: a few ticks later she is still on the edge, and went nowhere else.
    await pollUntil('more ticks', () => (erin.zone!.tick >= edge + 5 ? true : undefined));
    const server = ((await admin('zones/meadow')).body as ZoneSummary).players.find((entity) => entity.id === erin.playerId)!;
    expect({ x: server.x, y: server.y }).toEqual({ x: 0, y: start.y });
    erin.move(0, 0);
  });

  it('snapshots a ticking zone every ZONE_SNAPSHOT_EVERY_TICKS ticks', async () => {
    const zone = hosts[1] as AppProcess & { port: number };
    const dave = await player();
    await dave.joinZone('meadow');
    const partition = partitionOfKey('meadow', 2);
    const snapshotAt = await pollUntil('a snapshot of the ticking zone', async () => {
      const { partitions } = (await (await fetch(`http://127.0.0.1:${zone.port}/engine/status`)).json()) as { partitions: PartitionStatus[] };
      return partitions.find((entry) => entry.partition === partition)?.lastSnapshotOffset ?? undefined;
    });
    expect(snapshotAt).toBeGreaterThan(0);
  });

  it('refuses bad input without changing the world', async () => {
    const carol = await player();
    expect(await refusal(carol.attack('m01'))).toBe('not_found');
    expect(await refusal(carol.joinZone('atlantis'))).toBe('not_found');
    const snapshot = await carol.joinZone('meadow');
    const self = snapshot.entities.find((entity) => entity.id === carol.playerId)!;
    const far = (await admin('zones/meadow')).body as ZoneSummary;
    const distant = far.monsters.find((monster) => (monster.x - self.x) ** 2 + (monster.y - self.y) ** 2 > meadow.player.attackRange ** 2)!;
    expect(await refusal(carol.attack(distant.id))).toBe('out_of_range');
    expect(await refusal(carol.attack('m9999'))).toBe('not_found');

    // Speed hacks and junk, straight on a socket: refused one by one; carol has not moved.
    const response = await fetch(`${gateway.url}/auth/guest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `raw_${randomSuffix()}` }),
    });
    const { token } = (await response.json()) as { token: string };
    const socket = io(gateway.url, { auth: { token }, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('connect_error', reject));
    const send = (event: string, payload: unknown) => socket.timeout(15_000).emitWithAck(event, payload) as Promise<{ ok: boolean; error?: { code: string } }>;
    expect(await send('zone:input', { seq: 1, move: { x: 1, y: 0 } })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await send('zone:join', { zoneId: 'meadow' })).toMatchObject({ ok: true });
    for (const bad of [{ seq: 2, move: { x: 5, y: 0 } }, { seq: 3, move: { x: 1, y: 0 }, speed: 10 }, { seq: -1, move: { x: 1, y: 0 } }, 'east', null]) {
      expect(await send('zone:input', bad)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    }
    expect(await send('zone:attack', { targetId: 42 })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    const tickBefore = ((await admin('zones/meadow')).body as ZoneSummary).tick;
    await pollUntil('a few ticks later', async () => (((await admin('zones/meadow')).body as ZoneSummary).tick >= tickBefore + 5 ? true : undefined));
    const after = ((await admin('zones/meadow')).body as ZoneSummary).players.find((entity) => entity.id === carol.playerId) as ZoneEntity;
    expect({ x: after.x, y: after.y }).toEqual({ x: self.x, y: self.y });
  });
});
