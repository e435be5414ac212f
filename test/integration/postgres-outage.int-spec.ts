import { PartitionStatus } from '@app/engine';
import { partitionOfKey } from '@app/kafka';
import { migrate } from '@app/postgres';
import { GameClient } from '@app/sdk';
import { AppProcess } from '../support/app-process';
import { GatewayProcess, startGateway } from '../support/gateway-process';
import { AdminApi, settledLedger } from '../support/gold-ledger';
import { startInventory, startZone } from '../support/hosting-process';
import { pollUntil } from '../support/poll';
import { provisionedTopics } from '../support/provisioned-topics';
import { randomSuffix } from '../support/random-names';
import { TcpProxy } from '../support/tcp-proxy';
import { testDatabaseUrl } from '../support/test-env';
import { loginTraders, TradingLoad, TradingPlayer } from '../support/trading-load';

/** Issue 14's figure: PostgreSQL away for 30 s. */
const OUTAGE_MS = 30_000;
const PARTITIONS = 4;
const PLAYERS = 16;
const GRANTED = 1_000;
/** Acknowledgements that count as trading going on, at each point the test looks. */
const PROGRESS = 200;
const ADMIN_TOKEN = `test-admin-token-${randomSuffix()}`;
/** Snapshots every second with anything new, so the test sees them stop and resume. */
const FREQUENT_SNAPSHOTS = { SNAPSHOT_EVERY_RECORDS: '100', SNAPSHOT_EVERY_MS: '1000', ZONE_SNAPSHOT_EVERY_TICKS: '20' };

type Owner = AppProcess & { port: number };

const statusOf = async (owner: Owner): Promise<PartitionStatus[]> =>
  ((await (await fetch(`http://127.0.0.1:${owner.port}/engine/status`)).json()) as { partitions: PartitionStatus[] }).partitions;
/** Partitions an owner took up (recovered) so far: each logs one line when it starts serving. */
const recoveries = (owner: Owner): number => owner.output.split(': serving after ').length - 1;
const ready = async (port: number): Promise<number> => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status;
const guestLogin = async (url: string, name: string) => {
  const response = await fetch(`${url}/auth/guest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string } } };
};

/**
 * Point 5 of issue 14: PostgreSQL away for 30 s under trading. Every app reaches it through a proxy the test cuts (the
 * shared server stays up for everybody else). Play does not need it: trades are acknowledged throughout and a zone
 * keeps ticking; snapshots fail meanwhile and resume once it is back; nothing acknowledged is lost, also for an owner
 * that recovers afterwards from the snapshots taken since.
 */
describe('PostgreSQL away for 30 s under load (real processes)', () => {
  let proxy: TcpProxy;
  let topics: Awaited<ReturnType<typeof provisionedTopics>>;
  let gateway: GatewayProcess;
  let zoneClient: GameClient | undefined;
  let players: TradingPlayer[] = [];
  const inventories: Owner[] = [];
  let zone: Owner;

  beforeAll(async () => {
    await migrate(testDatabaseUrl());
    const target = new URL(testDatabaseUrl());
    proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432));
    const proxied = new URL(target);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    const env = { DATABASE_URL: proxied.toString(), ...FREQUENT_SNAPSHOTS };
    topics = await provisionedTopics(PARTITIONS);
    for (let index = 0; index < 2; index++) inventories.push(await startInventory(topics.prefix, 'live', env));
    zone = await startZone(topics.prefix, 'ready', env);
    await pollUntil(
      'both inventory owners serving two partitions each',
      async () => ((await Promise.all(inventories.map(statusOf))).every((partitions) => partitions.length === PARTITIONS / 2) ? true : undefined),
      60_000,
    );
    gateway = await startGateway({ TOPIC_PREFIX: topics.prefix, ADMIN_TOKEN, DATABASE_URL: env.DATABASE_URL });
  });

  afterAll(async () => {
    players.forEach(({ socket }) => socket.close());
    zoneClient?.close();
    await gateway?.stop();
    for (const owner of [...inventories, zone]) owner?.kill();
    await Promise.all([...inventories, zone].map((owner) => owner?.exited));
    await topics?.remove();
    await proxy?.close();
  });

  it('acknowledges trades and ticks throughout, snapshots again once it is back, and loses nothing', async () => {
    const admin = new AdminApi(gateway.url, ADMIN_TOKEN);
    players = await loginTraders(
      gateway.url,
      Array.from({ length: PLAYERS }, (_, index) => `outage_${randomSuffix()}_${index}`),
    );
    await admin.grantAll(players, GRANTED);
    zoneClient = await GameClient.login({ url: gateway.url }, `outage_zone_${randomSuffix()}`);
    await zoneClient.joinZone('meadow');
    const zonePartition = partitionOfKey('meadow', PARTITIONS);
    const owners = [...inventories, zone];
    const load = new TradingLoad(players);
    const began = Date.now();
    const marks: string[] = [];
    const mark = (what: string) => marks.push(`${what} at ${((Date.now() - began) / 1_000).toFixed(1)} s (${load.acked.length} acked)`);
    load.start(2);
    await pollUntil(
      'trading under way and every owner snapshotting',
      async () => {
        const snapshotting = (await Promise.all(owners.map(statusOf))).every((partitions) => partitions.some((entry) => entry.lastSnapshotOffset !== null));
        return load.acked.length >= PROGRESS && snapshotting ? true : undefined;
      },
      60_000,
    );

    proxy.cut();
    const cutAt = Date.now();
    mark('PostgreSQL cut');
    const [ackedAtCut, tickAtCut, recoveredAtCut] = [load.acked.length, zoneClient.zone!.tick, owners.map(recoveries)];
    await pollUntil('trades acknowledged while PostgreSQL is away', () => (load.acked.length >= ackedAtCut + PROGRESS ? true : undefined), OUTAGE_MS);
    mark(`${PROGRESS} more acknowledged`);
    // What needs the database: a new player's registration (the players table). Its refusal says to retry.
    const loginDuringOutage = await guestLogin(gateway.url, `outage_new_${randomSuffix()}`);
    const readinessDuringOutage = await Promise.all([ready(Number(new URL(gateway.url).port)), ...owners.map((owner) => ready(owner.port))]);
    // The outage lasts its full length whatever happens inside it: that is the scenario, not a wait for a condition.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, cutAt + OUTAGE_MS - Date.now())));
    const [ackedLate, tickLate] = [load.acked.length, zoneClient.zone!.tick];
    await pollUntil('trades still acknowledged at the end of the outage', () => (load.acked.length >= ackedLate + PROGRESS ? true : undefined), 30_000);
    expect(proxy.cutOff).toBe(true);
    expect(tickLate).toBeGreaterThan(tickAtCut);
    // Not one partition was dropped and recovered meanwhile: every owner kept serving what it held.
    expect(owners.map(recoveries)).toEqual(recoveredAtCut);
    const [atRestore, ackedAtRestore] = [await Promise.all(owners.map(statusOf)), load.acked.length];
    proxy.restore();
    mark('PostgreSQL back');

    // Every partition holding records no snapshot holds yet saves a newer one; every owner has such a partition.
    const behind = atRestore.map((partitions) => partitions.filter((entry) => entry.lastOffset > (entry.lastSnapshotOffset ?? -1)));
    expect(behind.map((partitions) => partitions.length > 0)).toEqual([true, true, true]);
    expect(behind[2].map((entry) => entry.partition)).toContain(zonePartition);
    const resumed = await pollUntil(
      'snapshots saved again',
      async () => {
        const now = await Promise.all(owners.map(statusOf));
        const newer = behind.every((partitions, index) =>
          partitions.every((before) => {
            const after = now[index].find((entry) => entry.partition === before.partition)?.lastSnapshotOffset ?? null;
            return after !== null && after > (before.lastSnapshotOffset ?? -1);
          }),
        );
        return newer ? now : undefined;
      },
      30_000,
    );
    mark('snapshots saved again');
    const ackedAfter = load.acked.length;
    await pollUntil('trading after the outage', () => (load.acked.length >= ackedAfter + PROGRESS ? true : undefined), 30_000);
    const figures = await load.stop();
    console.log(
      `PostgreSQL outage of ${OUTAGE_MS} ms: ${marks.join(', ')}; acknowledged during the outage ${ackedAtRestore - ackedAtCut}; ` +
        `zone ticks during the outage ${zoneClient.zone!.tick - tickAtCut}; a new login then answered ${loginDuringOutage.status} ` +
        `${JSON.stringify(loginDuringOutage.body)}; readiness then (gateway, owners) ${readinessDuringOutage.join(', ')}; ` +
        `connections refused ${proxy.counts.refused}; ${JSON.stringify(figures)}`,
    );

    for (const app of [gateway.process, ...owners]) expect(app.child.exitCode ?? app.child.signalCode).toBeNull();
    for (const owner of owners) expect(owner.output).toMatch(/snapshot at \d+ failed/);
    expect(loginDuringOutage).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
    // Still ready: nothing a load balancer sends them needs the database but registration, which says to retry.
    expect(readinessDuringOutage).toEqual([gateway, ...owners].map(() => 200));
    expect({ missing: figures.missing, refused: figures.refused }).toEqual({ missing: 0, refused: {} });
    const { differing, total } = await settledLedger(admin, players, GRANTED, load.acked);
    expect(differing).toEqual([]);
    expect(total).toBe(PLAYERS * GRANTED);
    expect((await guestLogin(gateway.url, `outage_after_${randomSuffix()}`)).status).toBe(201);
    for (const port of [Number(new URL(gateway.url).port), ...owners.map((owner) => owner.port)]) {
      await pollUntil('ready again', async () => ((await ready(port)) === 200 ? true : undefined), 30_000);
    }

    // A fresh owner of every inventory partition starts from the snapshots saved since, and holds the same ledger
    // (without warm standbys: it would take its partitions from them, folded from those snapshots, and not say so).
    for (const owner of inventories.splice(0)) owner.kill();
    inventories.push(await startInventory(topics.prefix, 'live', { ENGINE_WARM_STANDBY: 'off' }));
    // The dead owners leave the group when their sessions time out.
    await pollUntil(
      'the fresh owner serving every partition',
      async () => ((await statusOf(inventories[0])).filter((entry) => entry.phase === 'serving').length === PARTITIONS ? true : undefined),
      60_000,
    );
    const savedSince = new Map(
      resumed.slice(0, 2).flatMap((partitions) => partitions.map((entry) => [entry.partition, entry.lastSnapshotOffset ?? -1] as const)),
    );
    const startedFrom = (await statusOf(inventories[0]))
      .map(({ partition, lastSnapshotOffset }) => ({
        partition,
        fromASnapshotSavedSince: lastSnapshotOffset !== null && lastSnapshotOffset >= savedSince.get(partition)!,
      }))
      .sort((a, b) => a.partition - b.partition);
    expect(startedFrom).toEqual(Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, fromASnapshotSavedSince: true })));
    const again = await settledLedger(admin, players, GRANTED, load.acked);
    expect(again.differing).toEqual([]);
    expect(again.total).toBe(PLAYERS * GRANTED);
  });
});
