import { io, Socket } from 'socket.io-client';
import { migrate } from '@app/postgres';
import { ZoneSummary } from '@app/zone';
import { AppProcess } from '../support/app-process';
import { GatewayProcess, startGateway } from '../support/gateway-process';
import { startInventory, startZone } from '../support/hosting-process';
import { pollUntil } from '../support/poll';
import { provisionedTopics } from '../support/provisioned-topics';
import { randomSuffix } from '../support/random-names';
import { testDatabaseUrl } from '../support/test-env';

const ADMIN_TOKEN = `test-admin-token-${randomSuffix()}`;

/** Doors a zone left open (issue 11), each shut and checked on real processes: a gateway, a zone service. */
describe('zone doors', () => {
  let topics: Awaited<ReturnType<typeof provisionedTopics>>;
  let gateway: GatewayProcess;
  const hosts: AppProcess[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    await migrate(testDatabaseUrl());
    topics = await provisionedTopics(2);
    // The inventory service only for logins (a guest is registered there).
    hosts.push(await startInventory(topics.prefix));
    hosts.push(await startZone(topics.prefix, 'ready', { ZONE_SNAPSHOT_EVERY_TICKS: '10', SNAPSHOT_EVERY_RECORDS: '1000000', SNAPSHOT_EVERY_MS: '3600000' }));
    // A rebuild may read 40 records: a few snapshots' worth (one every 10 ticks), far less than the whole log.
    gateway = await startGateway({ TOPIC_PREFIX: topics.prefix, ADMIN_TOKEN, ZONE_TIME_TRAVEL_MAX_RECORDS: '40' });
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await gateway?.stop();
    for (const host of hosts) host.kill();
    await Promise.all(hosts.map((host) => host.exited));
    await topics?.remove();
  });

  const admin = async (path: string) => {
    const response = await fetch(`${gateway.url}/admin/${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  /** A gauge of the gateway's `GET /metrics`. */
  const gauge = async (name: string): Promise<number> => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    const line = text.split('\n').find((entry) => entry.startsWith(`${name}{`) || entry.startsWith(`${name} `));
    if (!line) throw new Error(`no ${name} in /metrics`);
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  };
  /** A connected socket of a new guest player. */
  const connected = async (): Promise<{ socket: Socket; playerId: string }> => {
    const response = await fetch(`${gateway.url}/auth/guest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `door_${randomSuffix()}` }),
    });
    const { token, playerId } = (await response.json()) as { token: string; playerId: string };
    const socket = io(gateway.url, { auth: { token }, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('connect_error', reject));
    return { socket, playerId };
  };

  it('leaves no viewer behind for a socket that disconnects while its zone:join is in flight', async () => {
    const zone = hosts[1];
    const gone = await Promise.all(Array.from({ length: 5 }, () => connected()));
    const staying = await connected();
    const sockets = await gauge('gateway_sockets');
    // The zone service paused: every join waits for it, well within the gateway's timeout.
    zone.kill('SIGSTOP');
    let stayingJoin: Promise<unknown>;
    try {
      for (const { socket } of gone) socket.emit('zone:join', { zoneId: 'meadow' });
      stayingJoin = staying.socket.timeout(15_000).emitWithAck('zone:join', { zoneId: 'meadow' });
      await pollUntil('every join in flight on the gateway', async () =>
        (await gauge('gateway_zone_joins_in_flight')) === gone.length + 1 ? true : undefined,
      );
      for (const { socket } of gone) socket.disconnect();
      await pollUntil('the gateway told of every disconnect', async () => ((await gauge('gateway_sockets')) === sockets - gone.length ? true : undefined));
    } finally {
      zone.kill('SIGCONT');
    }
    // The joins went through (the staying socket's, sent with them, was answered in time), and all are answered.
    expect(await stayingJoin).toMatchObject({ ok: true });
    await pollUntil('every join applied and answered', async () => {
      const inZone = new Set(((await admin('zones/meadow')).body as ZoneSummary).players.map((entity) => entity.id));
      return gone.every(({ playerId }) => inZone.has(playerId)) && (await gauge('gateway_zone_joins_in_flight')) === 0 ? true : undefined;
    });
    // Only the socket still connected is sent ticks.
    expect(await gauge('gateway_zone_viewers')).toBe(1);
    staying.socket.disconnect();
    await pollUntil('the viewer of a disconnected socket removed', async () => ((await gauge('gateway_zone_viewers')) === 0 ? true : undefined));
  });

  it('time travels only as far back as snapshots reach, one rebuild at a time, with a clear answer otherwise', async () => {
    const { socket } = await connected();
    expect(await socket.timeout(15_000).emitWithAck('zone:join', { zoneId: 'meadow' })).toMatchObject({ ok: true });
    // Far more log than a rebuild may read from its start, and snapshots along the way.
    const now = await pollUntil('the zone past tick 80', async () => {
      const summary = (await admin('zones/meadow')).body as ZoneSummary;
      return summary.tick >= 80 ? summary : undefined;
    });

    // Older than every snapshot: refused at once, saying how far back time travel goes, instead of replaying the log.
    const old = await admin('zones/meadow?atTick=1');
    expect(old).toMatchObject({
      status: 410,
      body: { ok: false, error: { code: 'out_of_range', message: expect.stringMatching(/reaches back to tick \d+/) } },
    });
    const { oldestTick } = (old.body as { error: { oldestTick: number } }).error;
    expect(oldestTick).toBeGreaterThan(1);
    expect((old.body as { error: { message: string } }).error.message).toContain(`tick ${oldestTick}`);

    // A recent tick is still in reach.
    expect(await admin(`zones/meadow?atTick=${now.tick}`)).toMatchObject({ status: 200, body: { zoneId: 'meadow', tick: now.tick } });

    // Rebuilds asked at once: one runs, the others are told to retry; every answer is definite.
    const answers = await Promise.all(Array.from({ length: 4 }, () => admin(`zones/meadow?atTick=${now.tick}`)));
    for (const answer of answers) {
      expect([200, 503]).toContain(answer.status);
      if (answer.status === 503)
        expect(answer.body).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringContaining('another time-travel rebuild') } });
    }
    expect(answers.filter((answer) => answer.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(answers.filter((answer) => answer.status === 503).length).toBeGreaterThanOrEqual(1);
    expect(await gauge('gateway_zone_rebuilds_in_flight')).toBe(0);
    expect((await fetch(`${gateway.url}/health/live`)).ok).toBe(true);
  });
});
