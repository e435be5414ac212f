import { PartitionState, PartitionStatus } from '@app/engine';
import { eventsTopicOf, partitionOfKey } from '@app/kafka';
import { migrate } from '@app/postgres';
import { GameClient, GameError } from '@app/sdk';
import { ZONES, zoneDomain, ZoneEvent, ZoneSummary } from '@app/zone';
import { AppProcess } from '../support/app-process';
import { readCountedLog } from '../support/counted-log';
import { GatewayProcess, startGateway } from '../support/gateway-process';
import { startHosting, startInventory } from '../support/hosting-process';
import { dropConnection } from '../support/drop-connection';
import { pollUntil } from '../support/poll';
import { provisionedTopics } from '../support/provisioned-topics';
import { randomSuffix } from '../support/random-names';
import { testDatabaseUrl } from '../support/test-env';
import { testKafka } from '../support/test-kafka';

const ADMIN_TOKEN = `test-admin-token-${randomSuffix()}`;
const PARTITIONS = 2;
const meadow = ZONES.meadow;
type ZoneHost = AppProcess & { port: number };

/**
 * kill -9 the owner of a zone where a player hunts: the next owner re-simulates the log to the same hashes, the
 * world goes on from the last committed tick, loot reaches the killer's inventory exactly once, and a client cut
 * off by the crash gets a snapshot and carries on.
 */
describe('zone: the owner killed while a player hunts', () => {
  let topics: Awaited<ReturnType<typeof provisionedTopics>>;
  let gateway: GatewayProcess;
  const zones: ZoneHost[] = [];
  const others: AppProcess[] = [];
  const clients: GameClient[] = [];

  beforeAll(async () => {
    await migrate(testDatabaseUrl());
    topics = await provisionedTopics(PARTITIONS);
    others.push(await startInventory(topics.prefix));
    for (let index = 0; index < 2; index++) zones.push(await startHosting('zone', topics.prefix, 'live', { KAFKA_SESSION_TIMEOUT_MS: '6000' }));
    gateway = await startGateway({ TOPIC_PREFIX: topics.prefix, ADMIN_TOKEN });
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await gateway?.stop();
    for (const host of [...zones, ...others]) host.kill();
    await Promise.all([...zones, ...others].map((host) => host.exited));
    await topics?.remove();
  });

  const admin = async <T>(path: string): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${gateway.url}/admin/${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    return { status: response.status, body: (await response.json()) as T };
  };
  const gold = async (playerId: string) => (await admin<{ gold: number }>(`players/${playerId}/inventory`)).body.gold;
  const owns = async (host: ZoneHost, partition: number) => {
    const status = (await (await fetch(`http://127.0.0.1:${host.port}/engine/status`)).json()) as { partitions: PartitionStatus[] };
    return status.partitions.find((entry) => entry.partition === partition)?.phase === 'serving';
  };

  /** Walks towards the nearest living monster and strikes it until the player's inventory has loot. */
  async function hunt(hunter: GameClient): Promise<void> {
    await pollUntil(
      'a kill with loot',
      async () => {
        if ((await gold(hunter.playerId)) > 0) return true;
        const self = hunter.zone?.self;
        const prey = [...(hunter.zone?.entities.values() ?? [])]
          .filter((entity) => entity.kind === 'monster')
          .sort((a, b) => (a.x - self!.x) ** 2 + (a.y - self!.y) ** 2 - ((b.x - self!.x) ** 2 + (b.y - self!.y) ** 2))[0];
        if (!self || !prey) return undefined;
        const [dx, dy] = [prey.x - self.x, prey.y - self.y];
        if (dx ** 2 + dy ** 2 > (meadow.player.attackRange - 20) ** 2) {
          hunter.move(Math.sign(dx) as -1 | 0 | 1, Math.sign(dy) as -1 | 0 | 1);
          return undefined;
        }
        hunter.move(0, 0);
        await hunter.attack(prey.id).catch((error: unknown) => {
          if (!(error instanceof GameError)) throw error;
        });
        return undefined;
      },
      60_000,
      200,
    );
  }

  it('comes back with the same hashes, goes on from the last committed tick, credits loot once, and resyncs the client', async () => {
    const hunter = await GameClient.login({ url: gateway.url, retry: { attempts: 20, baseDelayMs: 100, maxDelayMs: 2_000 } }, `hunter_${randomSuffix()}`);
    clients.push(hunter);
    await hunter.joinZone('meadow');
    await hunt(hunter);

    const before = (await admin<ZoneSummary>('zones/meadow')).body;
    const partition = partitionOfKey('meadow', PARTITIONS);
    const owner = (await Promise.all(zones.map((host) => owns(host, partition)))).indexOf(true);
    expect(owner).toBeGreaterThanOrEqual(0);
    const survivor = zones[1 - owner];
    const snapshots: number[] = [];
    hunter.onZone((zone, tick) => {
      if (!tick) snapshots.push(zone.tick);
    });

    zones[owner].kill('SIGKILL');
    // The crash also cuts the client off: it reconnects and joins again.
    dropConnection(hunter);
    await pollUntil('the survivor serves the zone', () => owns(survivor, partition), 60_000, 250);
    const after = await pollUntil('the world going on', async () => {
      const summary = (await admin<ZoneSummary>('zones/meadow')).body;
      return summary.tick > before.tick ? summary : undefined;
    });
    expect(after.players.map((entity) => entity.id)).toContain(hunter.playerId);
    await pollUntil(
      'the client resynced by a snapshot, then ticking again',
      () => (snapshots.length > 0 && hunter.zone!.tick > snapshots[0] ? true : undefined),
      30_000,
    );

    // The past as the new owner rebuilds it: every tick re-simulated and checked against the hash logged for it.
    expect((await admin<ZoneSummary>(`zones/meadow?atTick=${before.tick}`)).body).toMatchObject({ tick: before.tick, stateHash: before.stateHash });

    // Read independently: the counted log re-simulates to the hashes it recorded, one tick after another across the
    // crash, and the loot it sent adds up to exactly the hunter's gold.
    const kafka = testKafka(`check-${randomSuffix()}`);
    const checker = kafka.admin();
    await checker.connect();
    try {
      const log = await readCountedLog(kafka, checker, eventsTopicOf(topics.prefix, 'zone'), partition);
      const state = new PartitionState(zoneDomain(), 10_000);
      const ticks: number[] = [];
      let looted = 0;
      for (const { offset, record } of log) {
        state.apply(record, offset);
        if (record.type !== 'outcome' || record.aggregateId !== 'meadow') continue;
        for (const event of record.events as ZoneEvent[]) if (event.type === 'ticked') ticks.push(event.tick);
        for (const sent of record.outbox ?? []) {
          const loot = sent.command as { type: string; gold: number };
          if (sent.aggregateId === hunter.playerId && loot.type === 'loot') looted += loot.gold;
        }
      }
      expect(ticks).toEqual(Array.from({ length: ticks.length }, (_, index) => index + 1));
      expect(ticks.length).toBeGreaterThan(after.tick - 1);
      expect(looted).toBeGreaterThan(0);
      await pollUntil('every loot credited', async () => ((await gold(hunter.playerId)) === looted ? true : undefined));
    } finally {
      await checker.disconnect();
    }
  });
});
