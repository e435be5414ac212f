import { DataSource } from 'typeorm';
import { PartitionStatus } from '@app/engine';
import { eventsTopicOf, partitionOfKey } from '@app/kafka';
import { dataSourceOptions, migrate } from '@app/postgres';
import { GameClient } from '@app/sdk';
import { ZoneSummary } from '@app/zone';
import { AppProcess } from '../support/app-process';
import { GatewayProcess, startGateway } from '../support/gateway-process';
import { startHosting, startInventory } from '../support/hosting-process';
import { pollUntil } from '../support/poll';
import { provisionedTopics } from '../support/provisioned-topics';
import { randomSuffix } from '../support/random-names';
import { testDatabaseUrl } from '../support/test-env';

const ADMIN_TOKEN = `test-admin-token-${randomSuffix()}`;
const PARTITIONS = 2;
/** The earlier log is snapshotted every 20 ticks, so the database holds several snapshots of it. */
const OLD_LOG_ENV = { ZONE_SNAPSHOT_EVERY_TICKS: '20' };
/**
 * The new log only on a planned hand-over: each snapshot saved prunes the oldest one saved (3 are kept), so a cadence
 * would soon leave none of the old log's. Time travel stays in bounds without: the new log is far shorter than the
 * 20,000 records a rebuild may read from its start.
 */
const NEW_LOG_ENV = {
  KAFKA_SESSION_TIMEOUT_MS: '6000',
  ZONE_SNAPSHOT_EVERY_TICKS: '1000000',
  SNAPSHOT_EVERY_MS: '3600000',
  // The survivor's takeover is what must refuse the old snapshots: a warm standby would take over without them.
  ENGINE_WARM_STANDBY: 'off',
};
const OLD_LOG_TICKS = 60;
const SAMPLES = 12;
const SAMPLE_EVERY_TICKS = 10;
const STEPS: [-1 | 0 | 1, -1 | 0 | 1][] = [
  [1, 0],
  [0, 1],
  [-1, 0],
  [0, -1],
  [1, 1],
  [0, 0],
];
type ZoneHost = AppProcess & { port: number };
type OldSnapshot = { offset: number; stateHash: string; tick: number };

/**
 * The README's clean slate for the zone: the broker's data is wiped (every topic deleted and provisioned again under
 * the same names) while PostgreSQL keeps its snapshots of the earlier log. A player walks the meadow of the new log,
 * its owner is killed: neither the next owner's recovery nor the zone's time travel may start from the old log's
 * snapshots, whose offsets now lie inside the new log.
 */
describe('zone: a database that outlived its Kafka log', () => {
  let topics: Awaited<ReturnType<typeof provisionedTopics>>;
  let gateway: GatewayProcess | undefined;
  let hosts: AppProcess[] = [];
  let zones: ZoneHost[] = [];
  const clients: GameClient[] = [];
  let dataSource: DataSource;
  const partition = partitionOfKey('meadow', PARTITIONS);

  async function startStack(zoneHosts: number, env: Record<string, string>): Promise<void> {
    // The inventory service only for logins (a guest is registered there).
    hosts = [await startInventory(topics.prefix)];
    zones = [];
    for (let index = 0; index < zoneHosts; index++) zones.push(await startHosting('zone', topics.prefix, 'live', env));
    hosts.push(...zones);
    gateway = await startGateway({ TOPIC_PREFIX: topics.prefix, ADMIN_TOKEN });
  }

  async function stopStack(): Promise<void> {
    for (const client of clients.splice(0)) client.close();
    await gateway?.stop();
    for (const host of hosts) host.kill('SIGTERM');
    await Promise.all(hosts.map((host) => host.exited));
  }

  beforeAll(async () => {
    await migrate(testDatabaseUrl());
    dataSource = await new DataSource(dataSourceOptions(testDatabaseUrl())).initialize();
    topics = await provisionedTopics(PARTITIONS);
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await gateway?.stop();
    for (const host of hosts) host.kill();
    await Promise.all(hosts.map((host) => host.exited));
    await topics?.remove();
    await dataSource?.destroy();
  });

  const admin = async <T>(path: string): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${gateway!.url}/admin/${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    return { status: response.status, body: (await response.json()) as T };
  };
  const meadowNow = async (): Promise<ZoneSummary | undefined> => {
    const answer = await admin<ZoneSummary>('zones/meadow');
    return answer.status === 200 ? answer.body : undefined;
  };
  const statusOf = async (host: ZoneHost): Promise<PartitionStatus | undefined> => {
    const status = (await (await fetch(`http://127.0.0.1:${host.port}/engine/status`)).json()) as { partitions: PartitionStatus[] };
    return status.partitions.find((entry) => entry.partition === partition && entry.phase === 'serving');
  };

  async function walker(): Promise<GameClient> {
    const client = await GameClient.login({ url: gateway!.url, retry: { attempts: 20, baseDelayMs: 100, maxDelayMs: 2_000 } }, `walker_${randomSuffix()}`);
    clients.push(client);
    await client.joinZone('meadow');
    return client;
  }

  /** The meadow partition's snapshots in the database, with the meadow's tick in each. */
  async function meadowSnapshots(): Promise<OldSnapshot[]> {
    const rows: { last_offset: string; state_hash: string; state: string }[] = await dataSource.query(
      `SELECT "last_offset", "state_hash", "state" FROM "partition_snapshots" WHERE "stream" = $1 AND "partition" = $2 ORDER BY "last_offset"`,
      [eventsTopicOf(topics.prefix, 'zone'), partition],
    );
    return rows.map((row) => {
      const { aggregates } = JSON.parse(row.state) as { aggregates: [string, { tick: number }][] };
      return { offset: Number(row.last_offset), stateHash: row.state_hash, tick: aggregates.find(([zoneId]) => zoneId === 'meadow')?.[1].tick ?? 0 };
    });
  }

  it('rebuilds every past tick of the new log to its recorded hash, through kill -9, with the old snapshots still in the database', async () => {
    await startStack(1, OLD_LOG_ENV);
    const first = await walker();
    let steps = 0;
    await pollUntil(
      `the old meadow past tick ${OLD_LOG_TICKS}`,
      async () => {
        first.move(...STEPS[steps++ % STEPS.length]);
        return ((await meadowNow())?.tick ?? 0) > OLD_LOG_TICKS ? true : undefined;
      },
      60_000,
      250,
    );
    await stopStack();
    const oldSnapshots = (await meadowSnapshots()).filter((snapshot) => snapshot.tick > 0);
    expect(oldSnapshots.length).toBeGreaterThan(0);
    const isOld = (snapshot: OldSnapshot) => oldSnapshots.some((old) => old.offset === snapshot.offset && old.stateHash === snapshot.stateHash);

    await topics.recreate();
    await startStack(2, NEW_LOG_ENV);
    const player = await walker();
    // Past every old snapshot's tick, so each could stand (unproven) for the start of some sampled tick's rebuild.
    const pastOldTicks = Math.max(...oldSnapshots.map((snapshot) => snapshot.tick)) + SAMPLE_EVERY_TICKS;
    const samples: ZoneSummary[] = [];
    await pollUntil(
      'ticks sampled past the old log',
      async () => {
        player.move(...STEPS[samples.length % STEPS.length]);
        const now = await meadowNow();
        if (now && now.tick >= (samples.at(-1)?.tick ?? 0) + SAMPLE_EVERY_TICKS) samples.push(now);
        return samples.length >= SAMPLES && samples.at(-1)!.tick > pastOldTicks ? true : undefined;
      },
      90_000,
      200,
    );

    const owner = (await Promise.all(zones.map(statusOf))).findIndex((status) => status !== undefined);
    expect(owner).toBeGreaterThanOrEqual(0);
    const newLogLastOffset = (await statusOf(zones[owner]))!.lastOffset;
    // Inside the new log, or they would be refused for lying past its end, and the proof would go untested.
    const leftInside = (await meadowSnapshots()).filter(isOld);
    expect(leftInside.length).toBeGreaterThan(0);
    for (const snapshot of leftInside) expect(snapshot.offset).toBeLessThan(newLogLastOffset);

    const survivor = zones[1 - owner];
    zones[owner].kill('SIGKILL');
    await zones[owner].exited;
    await pollUntil('the survivor serves the meadow', async () => ((await statusOf(survivor)) ? true : undefined), 60_000, 250).catch((error: Error) => {
      throw new Error(`${error.message}\n${survivor.output}`);
    });
    const resumed = await pollUntil('the survivor answering for the meadow', meadowNow, 30_000, 250);
    await pollUntil(
      'the world going on past the samples',
      async () => (((await meadowNow())?.tick ?? 0) > samples.at(-1)!.tick ? true : undefined),
      30_000,
      250,
    );

    const rebuilt: { status: number; tick: number; stateHash: string }[] = [];
    for (const { tick } of samples) {
      // 503: another rebuild (or the zone service) busy; anything else is the answer.
      const { status, body } = await pollUntil(
        `tick ${tick} rebuilt`,
        async () => {
          const answer = await admin<ZoneSummary>(`zones/meadow?atTick=${tick}`);
          return answer.status === 503 ? undefined : answer;
        },
        30_000,
        250,
      );
      rebuilt.push({ status, tick: body.tick, stateHash: body.stateHash });
    }
    expect(rebuilt).toEqual(samples.map(({ tick, stateHash }) => ({ status: 200, tick, stateHash })));
    // Every sampled tick was committed to the new log, so the next owner goes on from there, not from an older world.
    expect(resumed.tick).toBeGreaterThanOrEqual(samples.at(-1)!.tick);
    const label = `${eventsTopicOf(topics.prefix, 'zone')}[${partition}]`;
    for (const { offset } of leftInside) expect(survivor.output).toContain(`${label}: skipping snapshot at ${offset}: the log refutes it`);
    // Still there while time travel ran: it had them to refuse.
    expect((await meadowSnapshots()).filter(isOld)).toEqual(leftInside);
  });
});
