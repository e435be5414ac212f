import { PartitionStatus } from '@app/engine';
import { partitionOfKey } from '@app/kafka';
import { migrate } from '@app/postgres';
import { GameClient } from '@app/sdk';
import { AppProcess } from '../support/app-process';
import { GatewayProcess, startGateway } from '../support/gateway-process';
import { startZone } from '../support/hosting-process';
import { pollUntil } from '../support/poll';
import { provisionedTopics } from '../support/provisioned-topics';
import { randomSuffix } from '../support/random-names';
import { testDatabaseUrl } from '../support/test-env';

/** Detects a killed owner in seconds rather than the default session timeout. */
const QUICK_FAILOVER = { KAFKA_SESSION_TIMEOUT_MS: '6000' };
const PARTITIONS = 2;
type ZoneHost = AppProcess & { port: number };

/** A metric of a gateway's `GET /metrics`, summed over its label sets (0 when absent). */
async function metric(gateway: GatewayProcess, name: string): Promise<number> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/**
 * Each tick of a zone goes only to the gateways with players in it, straight from the zone's owner (issue 13 point
 * 2), and keeps coming when the owner is replaced: planned (SIGTERM) or crashed (kill -9).
 */
describe('zone ticks follow the players: pushed by the owner to the gateways that have viewers', () => {
  let topics: Awaited<ReturnType<typeof provisionedTopics>>;
  const gateways: GatewayProcess[] = [];
  const zones: ZoneHost[] = [];
  const clients: GameClient[] = [];

  beforeAll(async () => {
    await migrate(testDatabaseUrl());
    topics = await provisionedTopics(PARTITIONS);
    zones.push(await startZone(topics.prefix, 'ready', QUICK_FAILOVER));
    for (let index = 0; index < 2; index++) gateways.push(await startGateway({ TOPIC_PREFIX: topics.prefix }));
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    for (const zone of zones) zone.kill();
    await Promise.all(zones.map((zone) => zone.exited));
    await topics?.remove();
  });

  /** Waits until the client has seen `more` ticks after the one it is at now; returns the tick reached. */
  async function ticksGoOn(client: GameClient, more: number, what: string): Promise<number> {
    const from = client.zone!.tick;
    return pollUntil(`${what}: ${more} ticks after ${from}`, () => (client.zone!.tick >= from + more ? client.zone!.tick : undefined), 60_000);
  }

  /** The zone process serving meadow's partition, once every partition is served by one of `live` (no move in progress). */
  async function meadowOwner(live: ZoneHost[]): Promise<ZoneHost> {
    const meadow = partitionOfKey('meadow', PARTITIONS);
    return pollUntil('every partition served, meadow by one of the live zone processes', async () => {
      const served = await Promise.all(
        live.map(async (host) => {
          const { partitions } = (await (await fetch(`http://127.0.0.1:${host.port}/engine/status`)).json()) as { partitions: PartitionStatus[] };
          return partitions.filter((status) => status.phase === 'serving').map((status) => status.partition);
        }),
      );
      if (served.flat().length !== PARTITIONS) return undefined;
      return live[served.findIndex((partitions) => partitions.includes(meadow))];
    });
  }

  it('sends a zone’s worlds only to the gateway whose player is in it, through an owner stop and an owner crash', async () => {
    const [withPlayer, without] = gateways;
    const alice = await GameClient.login({ url: withPlayer.url, retry: { attempts: 12, baseDelayMs: 50, maxDelayMs: 2_000 } }, `follow_${randomSuffix()}`);
    clients.push(alice);
    await alice.joinZone('meadow');

    await ticksGoOn(alice, 10, 'ticks on the gateway with the player');
    const received = await metric(withPlayer, 'gateway_zone_view_bytes_total');
    expect(received).toBeGreaterThan(0);
    expect(await metric(without, 'gateway_zone_view_bytes_total')).toBe(0);
    await ticksGoOn(alice, 5, 'more ticks');
    expect(await metric(withPlayer, 'gateway_zone_view_bytes_total')).toBeGreaterThan(received);

    // A second zone process joins (the group may move meadow to it: a first change of owner), then meadow's owner
    // stops as planned: the other one takes it.
    zones.push(await startZone(topics.prefix, 'live', QUICK_FAILOVER));
    const stopped = await meadowOwner(zones);
    stopped.kill('SIGTERM');
    await stopped.exited;
    await ticksGoOn(alice, 10, 'ticks after meadow’s owner stopped');

    // A crash: meadow's owner is gone without a word; the group notices after its session timeout.
    const live = zones.filter((zone) => zone !== stopped);
    zones.push(await startZone(topics.prefix, 'live', QUICK_FAILOVER));
    const crashed = await meadowOwner([...live, zones[2]]);
    crashed.kill('SIGKILL');
    await crashed.exited;
    await ticksGoOn(alice, 10, 'ticks after meadow’s owner was killed');

    expect(await metric(without, 'gateway_zone_view_bytes_total')).toBe(0);
    expect(await metric(withPlayer, 'gateway_zone_viewers')).toBe(1);
  });
});
