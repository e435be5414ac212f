/**
 * The inventory scenario of `npm run bench`: many SDK clients play through a gateway process against two
 * inventory processes, beside the raw kafkajs pipeline measured in the same run on the same broker. Writes
 * bench/results/inventory.json and inventory.md.
 */
import { cpus } from 'node:os';
import { migrate } from '@app/postgres';
import { GameClient } from '@app/sdk';
import { AppProcess } from '../test/support/app-process';
import { GatewayProcess, startGateway } from '../test/support/gateway-process';
import globalSetup from '../test/support/global-setup';
import globalTeardown from '../test/support/global-teardown';
import { startInventory } from '../test/support/hosting-process';
import { provisionedTopics } from '../test/support/provisioned-topics';
import { randomSuffix } from '../test/support/random-names';
import { testDatabaseUrl } from '../test/support/test-env';
import { benchBrokers, benchKafka, figure, hostFacts, markdownTable, median, say, until, writeResults } from './bench-support';
import { cpuDuring, localBrokerPid } from './cpu-usage';
import { PLAYER_MIN_GAP_MS, PlayerLoad, PlayerLoadFigures } from './player-load';
import { RawBaseline } from './raw-baseline';

const PLAYERS = Number(process.env.BENCH_INVENTORY_PLAYERS ?? 1_000);
const SATURATION_COMMANDS = Number(process.env.BENCH_INVENTORY_COMMANDS ?? 15_000);
const OFFERED_RATES = (process.env.BENCH_INVENTORY_RATES ?? '200,1000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PARTITIONS = 4;
const STARTING_GOLD = 1_000_000;
const ADMIN_TOKEN = `bench-admin-${randomSuffix()}`;
const RAW_WINDOW = 2_000;
const RAW_KEYS = 1_000;

type Figures = PlayerLoadFigures & { perSecond?: number; skipped?: number };

export async function inventoryBench(): Promise<void> {
  const results: Record<string, unknown> = { ...hostFacts(), players: PLAYERS, partitions: PARTITIONS, gateways: 1, inventoryInstances: 2 };
  // A database of its own, made and dropped like a test run's.
  await globalSetup();
  const topics = await provisionedTopics(PARTITIONS);
  const kafka = benchKafka(topics.prefix);
  const admin = kafka.admin();
  const inventories: AppProcess[] = [];
  let gateway: GatewayProcess | undefined;
  let raw: RawBaseline | undefined;
  const players: GameClient[] = [];
  try {
    await migrate(testDatabaseUrl());
    await admin.connect();
    say('starting two inventory processes and a gateway');
    inventories.push(await startInventory(topics.prefix, 'live'), await startInventory(topics.prefix, 'live'));
    gateway = await startGateway({ TOPIC_PREFIX: topics.prefix, ADMIN_TOKEN });
    raw = await RawBaseline.start(kafka, admin, topics.prefix, benchBrokers(), PARTITIONS);
    say(`logging in ${PLAYERS} players and granting each ${STARTING_GOLD} gold and a sword`);
    players.push(...(await loginPlayers(gateway.url)));
    const load = new PlayerLoad(players);

    say('warming up both pipelines');
    await load.saturate(PLAYERS * 2);
    await raw.loader.saturate(2_000, 500, RAW_KEYS);

    const saturation = { sdk: [] as Figures[], raw: [] as number[], coresBusy: [] as Record<string, number>[] };
    const processes = {
      'bench (SDK clients)': process.pid,
      gateway: gateway.process.child.pid,
      ...Object.fromEntries(inventories.map((inventory, index) => [`inventory-${index + 1}`, inventory.child.pid])),
      broker: localBrokerPid(),
    };
    const latency = OFFERED_RATES.map((offeredPerSecond) => ({ offeredPerSecond, sdk: [] as Figures[], raw: [] as { p50: number; p99: number }[] }));
    for (let round = 1; round <= ROUNDS; round++) {
      say(`round ${round}/${ROUNDS}: saturation, ${SATURATION_COMMANDS} commands`);
      const { result, coresBusy } = await cpuDuring(processes, () => load.saturate(SATURATION_COMMANDS));
      saturation.sdk.push(result);
      saturation.coresBusy.push(coresBusy);
      saturation.raw.push(await raw.loader.saturate(SATURATION_COMMANDS, RAW_WINDOW, RAW_KEYS));
      say(`players ${figure(saturation.sdk.at(-1)!.perSecond!)}/s, raw ${figure(saturation.raw.at(-1)!)}/s`);
      for (const rate of latency) {
        say(`round ${round}/${ROUNDS}: latency at ${rate.offeredPerSecond} commands/s for 10 s (2 s warm-up)`);
        rate.sdk.push(await load.fixedRate(rate.offeredPerSecond, 10, 2));
        rate.raw.push(await raw.loader.fixedRate(rate.offeredPerSecond, 10, 2, RAW_KEYS));
        say(`p99 players ${figure(rate.sdk.at(-1)!.p99, 1)} ms, raw ${figure(rate.raw.at(-1)!.p99, 1)} ms`);
      }
    }
    const totalGold = await settledGold(gateway.url, players);
    const medians = (runs: { p50: number; p99: number }[]) => ({ p50: median(runs.map((run) => run.p50)), p99: median(runs.map((run) => run.p99)) });
    Object.assign(results, {
      saturation: {
        playersPerSecond: median(saturation.sdk.map((run) => run.perSecond!)),
        rawPerSecond: median(saturation.raw),
        coresBusy: Object.fromEntries(Object.keys(saturation.coresBusy[0]).map((name) => [name, median(saturation.coresBusy.map((round) => round[name]))])),
        rounds: saturation,
      },
      latency: latency.map((rate) => ({
        offeredPerSecond: rate.offeredPerSecond,
        players: medians(rate.sdk),
        raw: medians(rate.raw),
        rounds: { sdk: rate.sdk, raw: rate.raw },
      })),
      gold: { expected: PLAYERS * STARTING_GOLD, settled: totalGold },
    });
  } finally {
    for (const player of players) player.close();
    await gateway?.stop();
    for (const inventory of inventories) inventory.kill('SIGTERM');
    await Promise.all(inventories.map((inventory) => inventory.exited));
    await raw?.stop();
    await admin.disconnect();
    await topics.remove();
    await globalTeardown();
  }
  report(results);
}

async function loginPlayers(url: string): Promise<GameClient[]> {
  const suffix = randomSuffix();
  const players: GameClient[] = [];
  for (let first = 0; first < PLAYERS; first += 25) {
    const names = Array.from({ length: Math.min(25, PLAYERS - first) }, (_, offset) => `b${suffix}_${first + offset}`);
    const batch = await Promise.all(names.map((name) => GameClient.login({ url }, name)));
    await Promise.all(
      batch.map((player) => admin(url, `/admin/players/${player.playerId}/grants`, { grantId: 'bench-start', gold: STARTING_GOLD, items: { sword: 1 } })),
    );
    players.push(...batch);
  }
  return players;
}

async function admin(url: string, path: string, body?: object): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/**
 * The players' gold once every credit sent through the outbox has landed. Transfers only move gold, so it must
 * come back to what was granted: a bench that loses or doubles gold fails instead of reporting a speed.
 */
async function settledGold(url: string, players: GameClient[]): Promise<number> {
  let total = 0;
  const sumOfGold = async () => {
    const inventories = await Promise.all(players.map((player) => admin(url, `/admin/players/${player.playerId}/inventory`) as Promise<{ gold: number }>));
    total = inventories.reduce((sum, inventory) => sum + inventory.gold, 0);
    return total === PLAYERS * STARTING_GOLD;
  };
  await until('every transfer settled with gold conserved', sumOfGold, 60_000).catch((error: Error) => {
    throw new Error(`${error.message}: ${total} gold after the load, ${PLAYERS * STARTING_GOLD} granted`);
  });
  return total;
}

function report(results: Record<string, unknown>): void {
  type Percentiles = { p50: number; p99: number };
  const r = results as unknown as {
    date: string;
    saturation: { playersPerSecond: number; rawPerSecond: number; coresBusy: Record<string, number>; rounds: { sdk: Figures[] } };
    latency: { offeredPerSecond: number; players: Percentiles; raw: Percentiles; rounds: { sdk: Figures[] } }[];
  };
  const rows = [
    [
      'acknowledged commands/s at saturation',
      figure(r.saturation.playersPerSecond),
      figure(r.saturation.rawPerSecond),
      `${figure((r.saturation.playersPerSecond / r.saturation.rawPerSecond) * 100)} %`,
      '',
    ],
  ];
  for (const { offeredPerSecond, players, raw } of r.latency) {
    for (const key of ['p50', 'p99'] as const) {
      rows.push([`${key} latency at ${offeredPerSecond}/s (ms)`, figure(players[key], 1), figure(raw[key], 1), `x${figure(players[key] / raw[key], 2)}`, '']);
    }
  }
  const runs = [...r.saturation.rounds.sdk, ...r.latency.flatMap((rate) => rate.rounds.sdk)];
  const count = (of: (run: Figures) => number) => runs.reduce((sum, run) => sum + of(run), 0);
  const notes = [
    `${PLAYERS} SDK clients (one socket each) -> 1 gateway process -> ${PARTITIONS} partitions on 2 inventory processes; the raw column is`,
    'the kafkajs relay (produce -> consume -> produce -> consume, no state) on the same broker in the same run. Medians of',
    `${ROUNDS} rounds. Mix per player: transfer-gold (1 gold to a random player), equip, transfer-gold, unequip. One player`,
    `sends at most one command per ${PLAYER_MIN_GAP_MS} ms (the gateway allows 20 events/s per socket), so the offered`,
    `ceiling at saturation is ${figure((PLAYERS * 1000) / PLAYER_MIN_GAP_MS)}/s. Rejected: ${count((run) => Object.values(run.rejected).reduce((a, b) => a + b, 0))};`,
    `given up after retries: ${count((run) => run.failed)}; passed over at a fixed rate (player still waiting): ${count((run) => run.skipped ?? 0)}.`,
    'Gold was summed over every player afterwards and equalled what was granted.',
    `CPU at saturation, in cores busy (of ${cpus().length}): ${Object.entries(r.saturation.coresBusy)
      .map(([name, cores]) => `${name} ${figure(cores, 2)}`)
      .join(', ')}.`,
  ].join('\n');
  const table = markdownTable(['measure', 'players via SDK + gateway', 'raw kafkajs', 'ratio', 'target'], rows);
  writeResults('inventory', `Inventory benchmark, ${r.date}`, table, results, notes);
}
