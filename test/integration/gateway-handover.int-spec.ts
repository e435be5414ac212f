import { Admin, Kafka } from 'kafkajs';
import { io, Socket } from 'socket.io-client';
import { LogRecord } from '@app/engine';
import { eventsTopicOf } from '@app/kafka';
import { migrate } from '@app/postgres';
import { DrainingNotice } from '@app/protocol';
import { GameClient, GatewayMove } from '@app/sdk';
import { AppProcess } from '../support/app-process';
import { readCountedLog } from '../support/counted-log';
import { freePort } from '../support/free-port';
import { GatewayProcess, startGateway } from '../support/gateway-process';
import { AdminApi, settledLedger } from '../support/gold-ledger';
import { startInventory, startZone } from '../support/hosting-process';
import { pollUntil } from '../support/poll';
import { provisionedTopics } from '../support/provisioned-topics';
import { randomSuffix } from '../support/random-names';
import { SdkTradingLoad } from '../support/sdk-trading-load';
import { testDatabaseUrl } from '../support/test-env';
import { testKafka } from '../support/test-kafka';

const PARTITIONS = 2;
const TRADERS = 8;
// Walkers only walk: a trader sends more than a socket's 20 events a second, and a rate-limited input is dropped.
const WALKERS = 3;
const GRANTED = 1_000;
const ADMIN_TOKEN = `test-admin-token-${randomSuffix()}`;
// One secret for both gateways: a token from one is good at the other.
const JWT_SECRET = `test-jwt-secret-${randomSuffix()}`;
// Long enough that a socket that does not move holds gateway A open while the test looks at it.
const DRAIN_TIMEOUT_MS = 60_000;

type Outcome = Extract<LogRecord, { type: 'outcome' }>;

/**
 * Two gateways naming each other in GATEWAY_PEER_URLS, one inventory and one zone owner; SDK clients trade gold and
 * walk through gateway A, which gets SIGTERM mid-trading. A raw socket that ignores the notice keeps A draining, so
 * what A does while it drains can be seen before it goes.
 */
describe('a gateway handing its clients over on SIGTERM (real processes)', () => {
  let topics: Awaited<ReturnType<typeof provisionedTopics>>;
  let kafka: Kafka;
  let admin: Admin;
  const hosts: AppProcess[] = [];
  const gateways: GatewayProcess[] = [];
  const clients: GameClient[] = [];
  const sockets: Socket[] = [];
  let trading: SdkTradingLoad | undefined;

  beforeAll(async () => {
    await migrate(testDatabaseUrl());
    topics = await provisionedTopics(PARTITIONS);
    kafka = testKafka(`handover-${randomSuffix()}`);
    admin = kafka.admin();
    await admin.connect();
    hosts.push(await startInventory(topics.prefix), await startZone(topics.prefix));
    const [portA, portB] = [await freePort(), await freePort()];
    const peer = (port: number) => ({
      TOPIC_PREFIX: topics.prefix,
      ADMIN_TOKEN,
      JWT_SECRET,
      GATEWAY_DRAIN_TIMEOUT_MS: String(DRAIN_TIMEOUT_MS),
      PORT: String(port),
    });
    gateways.push(
      await startGateway({ ...peer(portA), GATEWAY_PEER_URLS: `http://127.0.0.1:${portB}` }),
      await startGateway({ ...peer(portB), GATEWAY_PEER_URLS: `http://127.0.0.1:${portA}` }),
    );
  });

  afterAll(async () => {
    await trading?.stop();
    for (const client of clients) client.close();
    for (const socket of sockets) socket.disconnect();
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    for (const host of hosts) host.kill();
    await Promise.all(hosts.map((host) => host.exited));
    await admin?.disconnect();
    await topics?.remove();
  });

  const readiness = async (url: string) => {
    const response = await fetch(`${url}/health/ready`);
    return { status: response.status, body: (await response.json()) as { error?: Record<string, unknown> } };
  };

  async function guestToken(url: string): Promise<string> {
    const response = await fetch(`${url}/auth/guest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `raw_${randomSuffix()}` }),
    });
    return ((await response.json()) as { token: string }).token;
  }

  /** A raw Socket.IO connection that does not reconnect: what the gateway says is all it hears. */
  function rawSocket(url: string, token: string): Socket {
    const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(socket);
    return socket;
  }

  const connectOutcome = (socket: Socket) =>
    new Promise<{ connected: true } | { message: string; data: unknown }>((resolve) => {
      socket.once('connect', () => resolve({ connected: true }));
      socket.once('connect_error', (error: Error & { data?: unknown }) => resolve({ message: error.message, data: error.data }));
    });

  async function transfersLogged(playerId: string): Promise<number> {
    const partitions = await Promise.all(
      Array.from({ length: PARTITIONS }, (_, partition) => readCountedLog(kafka, admin, eventsTopicOf(topics.prefix, 'inventory'), partition)),
    );
    const outcomes = partitions.flat().flatMap(({ record }) => (record.type === 'outcome' && record.aggregateId === playerId ? [record as Outcome] : []));
    return outcomes.filter((record) => (record.events as { type: string }[]).some((event) => event.type === 'gold-sent')).length;
  }

  it('turns not ready, refuses new sockets, sends every client to the other gateway, answers what it has and exits 0; no acknowledged transfer lost or doubled', async () => {
    const [a, b] = gateways;
    const moves = new Map<GameClient, GatewayMove[]>();
    for (let index = 0; index < TRADERS + WALKERS; index++) {
      const client = await GameClient.login({ url: a.url, retry: { attempts: 12, baseDelayMs: 50, maxDelayMs: 1_000 } }, `handover_${randomSuffix()}`);
      clients.push(client);
      moves.set(client, []);
      client.onMove((move) => moves.get(client)!.push(move));
    }
    const [traders, walkers] = [clients.slice(0, TRADERS), clients.slice(TRADERS)];
    await new AdminApi(a.url, ADMIN_TOKEN).grantAll(traders, GRANTED);
    for (const walker of walkers) {
      await walker.joinZone('meadow');
      walker.move(1, 0);
    }
    const lingerer = rawSocket(a.url, await guestToken(a.url));
    const lingererHeard: DrainingNotice[] = [];
    lingerer.on('server:draining', (notice: DrainingNotice) => lingererHeard.push(notice));
    expect(await connectOutcome(lingerer)).toEqual({ connected: true });
    await pollUntil('both gateways ready', async () => ((await readiness(a.url)).status === 200 && (await readiness(b.url)).status === 200 ? true : undefined));

    const load = new SdkTradingLoad(traders);
    trading = load;
    load.start(2);
    await pollUntil('transfers flowing through A', () => (load.acked.length >= 100 ? true : undefined), 60_000);
    a.process.kill('SIGTERM');

    const notReady = await pollUntil('A not ready', async () => {
      const ready = await readiness(a.url);
      return ready.status === 503 ? ready.body : undefined;
    });
    expect(notReady.error).toMatchObject({ serving: { status: 'down', reason: 'draining' } });
    const refused = await connectOutcome(rawSocket(a.url, await guestToken(a.url)));
    expect(refused).toEqual({ message: 'draining', data: { urls: [b.url], closingInMs: DRAIN_TIMEOUT_MS } });

    await pollUntil('every client on B', () => (clients.every((client) => client.gateway === b.url) ? true : undefined));
    const ackedOnB = load.acked.length;
    await pollUntil('transfers flowing through B', () => (load.acked.length >= ackedOnB + 200 ? true : undefined), 60_000);
    for (const walker of walkers) {
      const seq = walker.move(0, 1);
      await pollUntil('a step acknowledged through B', () => (walker.zone!.ackSeq >= seq && walker.zone!.self ? true : undefined));
    }

    // Still draining, held by the socket that did not move: A answers HTTP and says it is not ready.
    expect(lingererHeard).toEqual([{ urls: [b.url], closingInMs: DRAIN_TIMEOUT_MS }]);
    expect((await readiness(a.url)).status).toBe(503);
    lingerer.disconnect();
    expect(await a.process.exited).toEqual({ code: 0, signal: null });
    await expect(fetch(`${a.url}/health/live`)).rejects.toThrow();
    expect(a.process.output).toMatch(/draining: \d+ sockets told to move to http:\/\/127\.0\.0\.1:\d+/);

    await load.stop();
    expect(load.errors).toEqual([]);
    expect([...moves.values()].filter((each) => JSON.stringify(each) !== JSON.stringify([{ from: a.url, to: b.url, reason: 'draining' }]))).toEqual([]);
    const ledger = await settledLedger(new AdminApi(b.url, ADMIN_TOKEN), traders, GRANTED, load.acked);
    expect(ledger).toEqual({ differing: [], total: GRANTED * TRADERS });
    for (const client of traders) {
      const acked = load.acked.filter((transfer) => transfer.from === client.playerId).length;
      expect([client.playerId, await transfersLogged(client.playerId)]).toEqual([client.playerId, acked]);
    }
  });
});
