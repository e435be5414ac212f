/**
 * The peers scenario of `npm run bench`: the same open-loop load generator drives, in one run on this machine,
 * this project (gateway + inventory on Kafka), a stateless server with one PostgreSQL transaction per command,
 * and an in-memory server, through the same subset of PROTOCOL.md. Servers take turns, one running at a time.
 * Writes bench/results/peers.json and peers.md.
 */
import { cpus } from 'node:os';
import { Client } from 'pg';
import { migrate } from '@app/postgres';
import { AppProcess } from '../../test/support/app-process';
import { GatewayProcess, startGateway } from '../../test/support/gateway-process';
import globalSetup from '../../test/support/global-setup';
import globalTeardown from '../../test/support/global-teardown';
import { startInventory } from '../../test/support/hosting-process';
import { provisionedTopics } from '../../test/support/provisioned-topics';
import { randomSuffix } from '../../test/support/random-names';
import { adminDatabaseUrl, testDatabaseUrl, withDatabase } from '../../test/support/test-env';
import { figure, hostFacts, say } from '../bench-support';
import { localBrokerPid } from '../cpu-usage';
import { startPeer, stopChild, track } from './child-processes';
import { OpenLoop, StepFigures, Timing } from './open-loop';
import { ContenderResult, CONTENDERS, ContenderKey, isNoisy, isSustained, PeersSettings, reportPeers, restCores, sustainedRate } from './peers-report';
import { loginPlayers, checkContract } from './players';
import { readStages, StageFigures } from './stage-figures';
import { cpuMeter, NOISY_CORES, Processes, REST_OF_MACHINE } from './process-cpu';

const PLAYERS = Number(process.env.BENCH_PEERS_PLAYERS ?? 1_000);
const RATES = (process.env.BENCH_PEERS_RATES ?? '500,750,1000,1500,2000,3000,4000,6000,8000,12000').split(',').map(Number);
const TIMING: Timing = {
  warmupSeconds: Number(process.env.BENCH_PEERS_WARMUP_S ?? 3),
  windowSeconds: Number(process.env.BENCH_PEERS_WINDOW_S ?? 10),
  drainSeconds: Number(process.env.BENCH_PEERS_DRAIN_S ?? 5),
};
const SERVER_WARMUP_SECONDS = 5;
const NOISY_REMEASURES = Number(process.env.BENCH_PEERS_REMEASURES ?? 2);
const QUIET_WAIT_SECONDS = Number(process.env.BENCH_PEERS_QUIET_WAIT_S ?? 15);
// PostgreSQL's rule of thumb for a pool, two connections per core and one: more only queue for the same cores
// (on two cores, 20 connections sustained less than 5).
const PG_POOL = Number(process.env.BENCH_PEERS_PG_POOL ?? cpus().length * 2 + 1);
const PARTITIONS = 4;
/**
 * Settings of the project's processes (gateway and inventory), `NAME=value` comma-separated. By default as a deployment
 * whose gateways all send commands straight to owners would run: no changes topic. `DIRECT_COMMANDS=off` measures the
 * path through the topics.
 */
const PROJECT_ENV: Record<string, string> = Object.fromEntries(
  (process.env.BENCH_PEERS_PROJECT_ENV ?? 'PUBLISH_CHANGES=off')
    .split(',')
    .filter(Boolean)
    .map((pair) => pair.split('=') as [string, string]),
);
const STARTING_GOLD = 1_000_000;
const ADMIN_TOKEN = `bench-admin-${randomSuffix()}`;
const TOKEN_SECRET = randomSuffix();

/** A server under load: where it listens, which processes count for its CPU, and how to stop all of it. */
interface Running {
  url: string;
  /** Where the time went inside the server, read right after a window. */
  stages?(): Promise<StageFigures>;
  processes(): Promise<Processes>;
  stop(): Promise<void>;
}

export async function peersBench(): Promise<void> {
  if (RATES.some((rate) => !(rate > 0)) || !(PLAYERS >= 2)) throw new Error('BENCH_PEERS_RATES must be positive numbers and BENCH_PEERS_PLAYERS at least 2');
  const tooFast = RATES.find((rate) => rate / PLAYERS >= 20);
  if (tooFast) throw new Error(`${tooFast}/s over ${PLAYERS} players is 20 events/s per socket or more, which the gateway refuses (rate_limited)`);
  const settings: PeersSettings = {
    players: PLAYERS,
    rates: RATES,
    timing: TIMING,
    partitions: PARTITIONS,
    pgPool: PG_POOL,
    postgres: await postgresSettings(),
    projectEnv: PROJECT_ENV,
  };
  const results: Partial<Record<ContenderKey, ContenderResult>> = {};
  const starters: Record<ContenderKey, () => Promise<Running>> = { project: startProject, stateless: startStateless, memory: startMemory };
  for (const { key, label } of CONTENDERS) results[key] = await sweep(label, key !== 'project', starters[key]);
  reportPeers({ ...hostFacts(), ...settings }, settings, results as Record<ContenderKey, ContenderResult>);
}

async function sweep(label: string, peer: boolean, start: () => Promise<Running>): Promise<ContenderResult> {
  say(`${label}: starting`);
  const server = await start();
  let loop: OpenLoop | undefined;
  try {
    say(`${label}: logging in ${PLAYERS} players, each granted ${STARTING_GOLD} gold, one socket each`);
    loop = await OpenLoop.connect(server.url, await loginPlayers(server.url, ADMIN_TOKEN, PLAYERS, STARTING_GOLD));
    const contract = await checkContract(loop, label, peer, STARTING_GOLD);
    // Not measured: connections, pools and the JIT warm before the first step, on every server alike.
    say(`${label}: warming up at ${RATES[0]}/s for ${SERVER_WARMUP_SECONDS} s`);
    await loop.step(RATES[0], { warmupSeconds: 0, windowSeconds: SERVER_WARMUP_SECONDS, drainSeconds: TIMING.drainSeconds }, {});
    const steps: StepFigures[] = [];
    let remeasures = NOISY_REMEASURES;
    for (const rate of RATES) {
      let step = await measure(label, loop, server, rate);
      // Someone else's work in the window skews it (most of all on two cores): measured again while the budget lasts.
      while (isNoisy(step) && remeasures-- > 0) {
        say(`${label}: the window at ${rate}/s was noisy, measuring it again`);
        const again = await measure(label, loop, server, rate);
        if (restCores(again) < restCores(step)) step = again;
      }
      steps.push(step);
      if (step.ackedPerSecond < step.offeredPerSecond / 2 || step.p99 === null || step.p99 > 5_000) {
        say(`${label}: collapsed at ${rate}/s, higher rates skipped`);
        break;
      }
    }
    return { contract, steps, sustained: sustainedRate(steps, RATES), remeasured: NOISY_REMEASURES - Math.max(0, remeasures) };
  } finally {
    loop?.close();
    say(`${label}: stopping`);
    await server.stop();
  }
}

async function measure(label: string, loop: OpenLoop, server: Running, rate: number): Promise<StepFigures> {
  const processes = await server.processes();
  await quietMachine(processes);
  const step = await loop.step(rate, TIMING, processes);
  step.stages = await server.stages?.();
  const refused = Object.entries(step.refused).map(([code, count]) => `${code} ${count}`);
  say(
    `${label} at ${rate}/s: acked ${step.ackedPerSecond}/s, p50 ${step.p50 ?? '-'} ms, p99 ${step.p99 ?? '-'} ms, ` +
      `unanswered ${step.unanswered}${refused.length > 0 ? `, refused ${refused.join(', ')}` : ''}, generator lag p99 ${step.sendLagP99Ms} ms, ` +
      `rest of the machine ${figure(restCores(step), 2)} cores busy${isSustained(step) ? '' : ' (not sustained)'}`,
  );
  return step;
}

/**
 * Waits, up to QUIET_WAIT_SECONDS, until the rest of the machine (beyond the processes counted for the server under
 * test and the bench) stays under NOISY_CORES for a second: the machine is shared, and a step measured while
 * someone else compiles measures them. A window that was noisy all the same is flagged in the table.
 */
async function quietMachine(processes: Processes): Promise<void> {
  for (let waited = 0; waited < QUIET_WAIT_SECONDS; waited++) {
    const meter = cpuMeter(processes);
    await new Promise((done) => setTimeout(done, 1_000));
    const busy = meter()[REST_OF_MACHINE];
    if (busy < NOISY_CORES) return;
    if (waited === 0) say(`the rest of the machine keeps ${figure(busy, 2)} cores busy: waiting up to ${QUIET_WAIT_SECONDS} s for it to quieten`);
  }
}

/** One gateway and one inventory process (the machine has two cores) over 4 partitions, in a database of their own. */
async function startProject(): Promise<Running> {
  await globalSetup();
  const database = process.env.TEST_RUN_DATABASE_NAME!;
  const topics = await provisionedTopics(PARTITIONS).catch(async (error: unknown) => {
    await globalTeardown();
    throw error;
  });
  let inventory: (AppProcess & { port: number }) | undefined;
  let gateway: GatewayProcess | undefined;
  const stop = async () => {
    if (gateway) await stopChild(gateway.process.child);
    if (inventory) await stopChild(inventory.child);
    await topics.remove();
    await globalTeardown();
  };
  try {
    await migrate(testDatabaseUrl());
    inventory = await startInventory(topics.prefix, 'ready', PROJECT_ENV);
    track(inventory.child);
    gateway = await startGateway({ TOPIC_PREFIX: topics.prefix, ADMIN_TOKEN, ...PROJECT_ENV });
    track(gateway.process.child);
  } catch (error) {
    await stop();
    throw error;
  }
  const pids = { bench: [process.pid], gateway: [gateway.process.child.pid], inventory: [inventory.child.pid], broker: [localBrokerPid()] };
  const ownerUrl = `http://127.0.0.1:${inventory.port}`;
  return {
    url: gateway.url,
    processes: async () => ({ ...pids, postgres: await postgresPids(database) }),
    stages: () => readStages(gateway!.url, ownerUrl),
    stop,
  };
}

/** The stateless peer, in a fresh database it makes its tables in; the database is dropped with it. */
async function startStateless(): Promise<Running> {
  const database = `peers_${randomSuffix()}`;
  await onServer(`CREATE DATABASE "${database}"`);
  const drop = () => onServer(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  const env = { DATABASE_URL: withDatabase(adminDatabaseUrl(), database), ADMIN_TOKEN, PEER_TOKEN_SECRET: TOKEN_SECRET, PEER_PG_POOL: String(PG_POOL) };
  const peer = await startPeer('stateless-server.ts', env).catch(async (error: unknown) => {
    await drop();
    throw error;
  });
  return {
    url: peer.url,
    processes: async () => ({ bench: [process.pid], 'stateless server': [peer.pid], postgres: await postgresPids(database) }),
    stop: async () => {
      await peer.stop();
      await drop();
    },
  };
}

async function startMemory(): Promise<Running> {
  const peer = await startPeer('memory-server.ts', { ADMIN_TOKEN, PEER_TOKEN_SECRET: TOKEN_SECRET });
  return { url: peer.url, processes: async () => ({ bench: [process.pid], 'in-memory server': [peer.pid] }), stop: () => peer.stop() };
}

async function onServer<T extends object>(sql: string): Promise<T[]> {
  const client = new Client({ connectionString: adminDatabaseUrl() });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/**
 * The PostgreSQL processes that work for `database`: its backends, and the server's WAL writer, checkpointer and
 * background writer (shared with anything else using this server meanwhile). Found through pg_stat_activity and
 * read in /proc, so only where PostgreSQL runs on this machine.
 */
async function postgresPids(database: string): Promise<number[]> {
  const rows = await onServer<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = '${database}' OR backend_type IN ('walwriter', 'checkpointer', 'background writer')`,
  );
  return rows.map((row) => row.pid);
}

async function postgresSettings(): Promise<Record<string, string>> {
  const rows = await onServer<{ name: string; setting: string }>(
    "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method', 'max_connections')",
  );
  return Object.fromEntries(rows.map((row) => [row.name, row.setting]));
}
