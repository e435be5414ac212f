/**
 * The zone scenario of `npm run bench`: what a tick of a crowded zone costs (in process), and, with real
 * processes (a zone, a gateway, SDK players steering in the arena), the bytes the zone appends to its log per
 * second and the `zone:tick` messages the gateway fans out. Each beside a baseline measured in the same run.
 * Writes bench/results/zone.json and zone.md.
 */
import { cpus } from 'node:os';
import { Admin } from 'kafkajs';
import { changesTopicOf, eventsTopicOf } from '@app/kafka';
import { migrate } from '@app/postgres';
import { DEFAULT_TICK_MS, ZONES } from '@app/zone';
import { AppProcess } from '../test/support/app-process';
import { GatewayProcess, startGateway } from '../test/support/gateway-process';
import globalSetup from '../test/support/global-setup';
import globalTeardown from '../test/support/global-teardown';
import { startZone } from '../test/support/hosting-process';
import { provisionedTopics } from '../test/support/provisioned-topics';
import { testDatabaseUrl } from '../test/support/test-env';
import { benchKafka, figure, hostFacts, markdownTable, percentile, say, until, writeResults } from './bench-support';
import { cpuDuring, localBrokerPid } from './cpu-usage';
import { endOffsets, TopicTail } from './topic-tail';
import { kindOfLogRecord, LogRecordKind, worldFigures, WorldFigures, worldOfChange, ZoneLogFigures, zoneLogFigures } from './zone-log-figures';
import { FanOutFigures, SteeringPlayers } from './zone-players';
import { measureRawFanOut, RawFanOut } from './zone-raw-fanout';
import { measureTickCost, TickCost } from './zone-tick-cost';

const ZONE_ID = 'arena';
const PLAYERS = Number(process.env.BENCH_ZONE_PLAYERS ?? 300);
const SECONDS = Number(process.env.BENCH_ZONE_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_ZONE_WARMUP_SECONDS ?? 3);
const TICK_MS = Number(process.env.BENCH_ZONE_TICK_MS ?? DEFAULT_TICK_MS);
const TICK_PLAYERS = Number(process.env.BENCH_ZONE_TICK_PLAYERS ?? 500);
const TICKS = Number(process.env.BENCH_ZONE_TICKS ?? 1_000);
const WARMUP_TICKS = Number(process.env.BENCH_ZONE_WARMUP_TICKS ?? 200);
const TICK_TARGET_MS = 5;
/** The arena lives on one partition whatever the count; one keeps the broker's share of a shared machine small. */
const PARTITIONS = 1;
/** A zone ticking slower than this share of its clock fell behind: its figures would not be of a 10 Hz zone. */
const MIN_TICK_RATE_SHARE = 0.8;

interface LiveRun {
  seconds: number;
  /** The log from its start to the window: the claim, the players' joins and the first ticks. */
  logBefore: ZoneLogFigures;
  log: ZoneLogFigures;
  worlds: WorldFigures;
  fanOut: FanOutFigures;
  coresBusy: Record<string, number>;
}

export async function zoneBench(): Promise<void> {
  const results: Record<string, unknown> = { ...hostFacts(), zoneId: ZONE_ID, tickMs: TICK_MS };
  say(`tick cost: ${TICK_PLAYERS} players and ${ZONES[ZONE_ID].monsters} monsters, ${WARMUP_TICKS} warm-up ticks then ${TICKS} timed`);
  const tickCost = measureTickCost(TICK_PLAYERS, TICKS, WARMUP_TICKS);
  say(`tick p50 ${figure(tickCost.simulate.p50, 2)} ms, p99 ${figure(tickCost.simulate.p99, 2)} ms; plain loop p50 ${figure(tickCost.plainLoop.p50, 2)} ms`);

  await globalSetup();
  const topics = await provisionedTopics(PARTITIONS);
  const kafka = benchKafka(topics.prefix);
  const admin = kafka.admin();
  let zone: AppProcess | undefined;
  let gateway: GatewayProcess | undefined;
  let players: SteeringPlayers | undefined;
  const tails: TopicTail<unknown>[] = [];
  const stopApps = async () => {
    players?.close();
    await gateway?.stop();
    zone?.kill('SIGTERM');
    await zone?.exited;
  };
  let live: LiveRun;
  let raw: RawFanOut;
  try {
    await migrate(testDatabaseUrl());
    await admin.connect();
    say(`starting a zone process (tick every ${TICK_MS} ms) and a gateway`);
    zone = await startZone(topics.prefix, 'ready', { ZONE_TICK_MS: String(TICK_MS) });
    gateway = await startGateway({ TOPIC_PREFIX: topics.prefix });
    const events = await TopicTail.start(kafka, admin, eventsTopicOf(topics.prefix, 'zone'), kindOfLogRecord);
    const changes = await TopicTail.start(kafka, admin, changesTopicOf(topics.prefix, 'zone'), worldOfChange);
    tails.push(events, changes);
    say(`logging in ${PLAYERS} players and joining them to ${ZONE_ID}`);
    players = await SteeringPlayers.join(gateway.url, ZONE_ID, PLAYERS);
    players.startSteering();
    say(`steering for ${WARMUP_SECONDS} s of warm-up, then ${SECONDS} s measured`);
    await new Promise((done) => setTimeout(done, WARMUP_SECONDS * 1000));
    const processes = { 'bench (SDK players, log readers)': process.pid, gateway: gateway.process.child.pid, zone: zone.child.pid, broker: localBrokerPid() };
    live = await steadyWindow(admin, topics.prefix, players, events, changes, processes);
    say(
      `zone log ${figure(live.log.valueBytes / live.seconds)} B/s, ${figure(live.log.ticks / live.seconds, 1)} ticks/s; fan-out ${figure(live.fanOut.messages / live.seconds)} messages/s`,
    );
    await stopApps();

    say(`raw fan-out: ${PLAYERS} socket.io-client connections, ${figure(live.fanOut.bytes / live.fanOut.messages)} B every ${TICK_MS} ms`);
    raw = await measureRawFanOut(PLAYERS, TICK_MS, live.fanOut.bytes / live.fanOut.messages, 2, SECONDS, 'bench (raw clients)');
    if (raw.fewestPerClient === 0 || raw.outOfOrder > 0)
      throw new Error(`raw fan-out: a client received ${raw.fewestPerClient} messages, ${raw.outOfOrder} out of order`);
  } catch (error) {
    for (const app of [zone, gateway?.process])
      if (app) console.error(`--- last output of a ${app === zone ? 'zone' : 'gateway'} process ---\n${app.output.slice(-3_000)}`);
    throw error;
  } finally {
    await stopApps();
    for (const tail of tails) await tail.stop();
    await admin.disconnect();
    await topics.remove();
    await globalTeardown();
  }
  Object.assign(results, { tickCost, live, raw });
  report(tickCost, live, raw, results);
}

/**
 * The measured window: offsets of the log and the changes topic at either end, every `zone:tick` the players
 * received in between and the CPU each process used. Fails unless the zone kept its clock, every player was sent
 * ticks in order and every player's last input was applied.
 */
async function steadyWindow(
  admin: Admin,
  prefix: string,
  players: SteeringPlayers,
  events: TopicTail<LogRecordKind>,
  changes: TopicTail<{ tick: number; entities: number }>,
  processes: Record<string, number | undefined>,
): Promise<LiveRun> {
  const topics = { events: eventsTopicOf(prefix, 'zone'), changes: changesTopicOf(prefix, 'zone') };
  const from = { events: await endOffsets(admin, topics.events), changes: await endOffsets(admin, topics.changes) };
  players.resetCounts();
  const started = performance.now();
  const { coresBusy } = await cpuDuring(processes, () => new Promise((done) => setTimeout(done, SECONDS * 1000)));
  const to = { events: await endOffsets(admin, topics.events), changes: await endOffsets(admin, topics.changes) };
  const fanOut = players.figures();
  const seconds = (performance.now() - started) / 1000;
  players.stopSteering();

  const logBefore = zoneLogFigures(await events.between(new Map(), from.events));
  const log = zoneLogFigures(await events.between(from.events, to.events));
  const worlds = worldFigures(await changes.between(from.changes, to.changes));
  const nominal = 1000 / TICK_MS;
  if (log.ticks / seconds < MIN_TICK_RATE_SHARE * nominal) throw new Error(`the zone ticked ${figure(log.ticks / seconds, 1)}/s, its clock asks ${nominal}/s`);
  // Worlds are published after their tick is appended, so either end of the window may hold one more or less.
  if (Math.abs(worlds.worlds - log.ticks) > 2) throw new Error(`the zone published ${worlds.worlds} worlds for ${log.ticks} ticks`);
  if (fanOut.fewestPerPlayer === 0 || fanOut.outOfOrder > 0)
    throw new Error(`fan-out: a player received ${fanOut.fewestPerPlayer} ticks; ${fanOut.outOfOrder} came out of order`);
  // No bound on messages against the window's ticks: players that lag (a busy gateway) catch up on earlier ticks inside
  // the window, and a tick sent twice would show as out of order above.
  await until('every player saw its last input applied', () => players.unacknowledged().length === 0, 15_000).catch((error: Error) => {
    throw new Error(`${error.message}: ${players.unacknowledged().length} players still wait`);
  });
  const behind = players.replicaTicks().filter((tick) => tick < log.lastTick);
  if (behind.length > 0) throw new Error(`${behind.length} players' replicas are behind tick ${log.lastTick} (oldest at ${Math.min(...behind)})`);
  return { seconds, logBefore, log, worlds, fanOut, coresBusy };
}

function report(tickCost: TickCost, live: LiveRun, raw: RawFanOut, results: Record<string, unknown>): void {
  const { simulate, plainLoop } = tickCost;
  const perSecond = (value: number) => value / live.seconds;
  const ticksPerSecond = perSecond(live.log.ticks);
  const logPerSecond = perSecond(live.log.valueBytes);
  // A log of every position each tick: the world the zone published, once per tick it made.
  const positionsPerSecond = live.worlds.meanWorldBytes * ticksPerSecond;
  const fanOutPerSecond = perSecond(live.fanOut.messages);
  const fanOutBytesPerSecond = perSecond(live.fanOut.bytes);
  const percent = (value: number, of: number) => `${figure((value / of) * 100, value / of < 0.1 ? 1 : 0)} %`;
  const times = (value: number, of: number) => `x${figure(value / of, 2)}`;
  const rows = [
    ['tick p50 (ms)', figure(simulate.p50, 2), figure(plainLoop.p50, 2), times(simulate.p50, plainLoop.p50), ''],
    ['tick p99 (ms)', figure(simulate.p99, 2), figure(plainLoop.p99, 2), times(simulate.p99, plainLoop.p99), `<= ${TICK_TARGET_MS} ms`],
    ['tick max (ms)', figure(simulate.max, 2), figure(plainLoop.max, 2), times(simulate.max, plainLoop.max), ''],
    ['zone ticks/s (live)', figure(ticksPerSecond, 1), figure(1000 / TICK_MS, 1), percent(ticksPerSecond, 1000 / TICK_MS), ''],
    ['log bytes/s per zone', figure(logPerSecond), figure(positionsPerSecond), percent(logPerSecond, positionsPerSecond), ''],
    ['fan-out zone:tick messages/s', figure(fanOutPerSecond), figure(raw.messagesPerSecond), percent(fanOutPerSecond, raw.messagesPerSecond), ''],
    ['fan-out bytes/s (JSON)', figure(fanOutBytesPerSecond), figure(raw.bytesPerSecond), percent(fanOutBytesPerSecond, raw.bytesPerSecond), ''],
    [
      'input to ack p50 / p99 (ms)',
      `${figure(percentile(live.fanOut.inputToAck, 0.5), 0)} / ${figure(percentile(live.fanOut.inputToAck, 0.99), 0)}`,
      `${TICK_MS} (one tick)`,
      `${times(percentile(live.fanOut.inputToAck, 0.99), TICK_MS)} ticks (p99)`,
      '<= 1.5 ticks (p99)',
    ],
    [
      'fan-out server CPU (cores)',
      figure(live.coresBusy.gateway ?? NaN, 2),
      figure(raw.coresBusy['raw Socket.IO server'] ?? NaN, 2),
      times(live.coresBusy.gateway ?? NaN, raw.coresBusy['raw Socket.IO server'] ?? NaN),
      '',
    ],
  ];
  const kinds = Object.entries(live.log.byKind)
    .sort(([, a], [, b]) => b.valueBytes - a.valueBytes)
    .map(([kind, { records, valueBytes }]) => `${kind} ${figure(records)} records / ${figure(valueBytes)} B`)
    .join(', ');
  const joins = live.logBefore.byKind['other command'] ?? { records: 0, valueBytes: 0 };
  const cores = (busy: Record<string, number>) =>
    Object.entries(busy)
      .map(([name, value]) => `${name} ${figure(value, 2)}`)
      .join(', ');
  const notes = [
    `Tick (in process): \`simulateTick\` on \`${ZONE_ID}\` (${figure(tickCost.monsters)} monsters) with ${figure(TICK_PLAYERS)} joined players, about one in 15 steering`,
    `a new way between two ticks; ${figure(WARMUP_TICKS)} warm-up ticks, then ${figure(TICKS)} timed (mean ${figure(simulate.mean, 2)} ms). Baseline: the same`,
    `${figure(tickCost.monsters + TICK_PLAYERS)} entities each copied into a new object one step on, no rules; the ratio is what the rules cost.`,
    `After the last tick: ${tickCost.after.playersAlive}/${tickCost.after.players} players and ${tickCost.after.monstersAlive} monsters alive.`,
    '',
    `Live: 1 zone process (ZONE_TICK_MS ${TICK_MS}) and 1 gateway process, ${PLAYERS} SDK players (one socket each) in \`${ZONE_ID}\`, each steering`,
    `a new way every 1-2 s (about 0.7 events/s per socket; the gateway allows 20). ${WARMUP_SECONDS} s warm-up, then ${figure(live.seconds, 1)} s measured,`,
    `ticks ${live.log.firstTick}-${live.log.lastTick}. Log bytes: value bytes of the records appended to \`zone.events\` between the partition's end`,
    `offsets at either end of the window (keys, ${figure(live.log.keyBytes)} B in all, and Kafka's framing not counted): ${kinds}.`,
    `Before the window the ${figure(joins.records)} joins were logged at ${figure(joins.valueBytes / joins.records)} B each on average (the snapshot a join answers with comes from a read, which is not logged).`,
    `Baseline: logging every position each tick instead, i.e. the mean \`zone.changes\` record the zone published in the same window`,
    `(${figure(live.worlds.meanWorldBytes)} B: every visible entity, ${figure(live.worlds.meanEntities)} on average, and each player's ack) times the ticks per second.`,
    '',
    `Fan-out: \`zone:tick\` deltas the players' SDKs applied, per second, bytes as JSON, sampled on one message in ten (${figure(live.fanOut.bytes / live.fanOut.messages)} B and`,
    `${figure(live.fanOut.entities / live.fanOut.messages, 1)} entities per message on average); ${live.fanOut.ticksSkipped} ticks some player was not sent, none out of order.`,
    `Baseline: a bare Socket.IO server process emitting each of ${raw.clients} socket.io-client connections a message of the same size`,
    `(${figure(raw.meanMessageBytes)} B, ${raw.entitiesPerMessage} entities) every ${TICK_MS} ms, run after the zone and gateway stopped; no Kafka, no interest`,
    'management. Delivered messages/s counted the same way; the ratio is the share of the bare transport the gateway achieves.',
    '',
    `Checked: ticks in the log follow one another and kept the clock; one world published per tick; every player received ticks in`,
    `order and saw its last input acknowledged; every replica reached the last tick. CPU in cores busy (of ${cpus().length}) while measured:`,
    `live ${cores(live.coresBusy)}; raw ${cores(raw.coresBusy)}.`,
  ].join('\n');
  const table = markdownTable(['measure', 'zone', 'baseline', 'ratio', 'target'], rows);
  writeResults('zone', `Zone benchmark, ${results.date as string}`, table, results, notes);
}
