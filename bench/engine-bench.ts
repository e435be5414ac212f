/**
 * The engine scenario of `npm run bench`: the engine against a raw kafkajs baseline, measured in the same
 * run on the same broker. Prints a table with ratios and writes bench/results/engine.json and engine.md.
 */
import { randomBytes } from 'node:crypto';
import { Admin, Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { accountsDomain } from '@app/engine/testing';
import { LogRecord, PartitionEngine, PartitionState } from '@app/engine';
import { commandsTopicOf, eventsTopicOf, kafkaEnginePorts } from '@app/kafka';
import { dataSourceOptions, migrate, PostgresSnapshotStore } from '@app/postgres';
import { WorkerProcess } from '../test/support/worker-process';
import { benchBrokers, benchDatabaseUrl, benchKafka, figure, hostFacts, markdownTable, median, say, until, writeResults } from './bench-support';
import { RawBaseline } from './raw-baseline';
import { RequestReplyLoader } from './request-reply-loader';

const brokers = benchBrokers();
const databaseUrl = benchDatabaseUrl();
const HISTORY = Number(process.env.BENCH_HISTORY_EVENTS ?? 1_000_000);
const SATURATION_COMMANDS = Number(process.env.BENCH_SATURATION_COMMANDS ?? 20_000);
const OFFERED_RATE = Number(process.env.BENCH_OFFERED_RATE ?? 1_000);
const SATURATION_WINDOW = Number(process.env.BENCH_SATURATION_WINDOW ?? 2_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PARTITIONS = 4;
const ACCOUNTS = 1_000;

type LatencyFigures = Awaited<ReturnType<RequestReplyLoader['fixedRate']>>;

export async function engineBench(): Promise<void> {
  const prefix = `bench-${randomBytes(4).toString('hex')}-`;
  const kafka = benchKafka(prefix);
  const admin = kafka.admin();
  await admin.connect();
  await migrate(databaseUrl);
  const topics = {
    commands: commandsTopicOf(prefix, 'accounts'),
    events: eventsTopicOf(prefix, 'accounts'),
    replies: `${prefix}replies`,
    historyCommands: commandsTopicOf(prefix, 'history'),
    historyEvents: eventsTopicOf(prefix, 'history'),
  };
  const forever = [{ name: 'retention.ms', value: '-1' }];
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: topics.commands, numPartitions: PARTITIONS },
      { topic: topics.events, numPartitions: PARTITIONS, configEntries: forever },
      { topic: topics.replies, numPartitions: 1 },
      { topic: topics.historyCommands, numPartitions: 1 },
      { topic: topics.historyEvents, numPartitions: 1, configEntries: forever },
    ],
  });
  const results: Record<string, unknown> = hostFacts();
  try {
    Object.assign(results, await pipelines(kafka, admin, prefix, topics));
    Object.assign(results, await replayAndTakeover(kafka, admin, prefix, topics));
  } finally {
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin.disconnect();
  }
  report(results);
}

/** Throughput at saturation and latency at a fixed offered load: engine vs raw consume-produce relay. */
async function pipelines(kafka: Kafka, admin: Admin, prefix: string, topics: Record<string, string>) {
  const worker = new WorkerProcess('bench-engine', {
    KAFKA_BROKERS: brokers.join(','),
    DATABASE_URL: databaseUrl,
    TOPIC_PREFIX: prefix,
    SNAPSHOT_EVERY_RECORDS: '20000',
    CHECKPOINT_EVERY_RECORDS: '1000',
  });
  const engineLoader = new RequestReplyLoader(kafka, topics.commands, topics.replies, { topic: topics.replies, partition: 0 });
  const raw = await RawBaseline.start(kafka, admin, prefix, brokers, PARTITIONS);
  const rawLoader = raw.loader;
  try {
    await until(
      'engine worker serving',
      async () => (await worker.status())?.ready === true && ((await worker.status())?.partitions.length ?? 0) === PARTITIONS,
    );
    await engineLoader.start();
    say('warming up both pipelines');
    await engineLoader.saturate(2_000, 500, ACCOUNTS);
    await rawLoader.saturate(2_000, 500, ACCOUNTS);

    // The machine is shared and noisy: engine and raw take turns, and each figure is the median of its rounds.
    const saturation = { engine: [] as number[], raw: [] as number[] };
    const latency = { engine: [] as LatencyFigures[], raw: [] as LatencyFigures[] };
    for (let round = 1; round <= ROUNDS; round++) {
      say(`round ${round}/${ROUNDS}: saturation, ${SATURATION_COMMANDS} commands, ${SATURATION_WINDOW} in flight`);
      saturation.engine.push(await engineLoader.saturate(SATURATION_COMMANDS, SATURATION_WINDOW, ACCOUNTS));
      saturation.raw.push(await rawLoader.saturate(SATURATION_COMMANDS, SATURATION_WINDOW, ACCOUNTS));
      say(`engine ${saturation.engine.at(-1)!.toFixed(0)}/s, raw ${saturation.raw.at(-1)!.toFixed(0)}/s`);
      say(`round ${round}/${ROUNDS}: latency at ${OFFERED_RATE} commands/s for 10 s (2 s warm-up)`);
      latency.engine.push(await engineLoader.fixedRate(OFFERED_RATE, 10, 2, ACCOUNTS));
      latency.raw.push(await rawLoader.fixedRate(OFFERED_RATE, 10, 2, ACCOUNTS));
      say(`p99 engine ${latency.engine.at(-1)!.p99.toFixed(1)} ms, raw ${latency.raw.at(-1)!.p99.toFixed(1)} ms`);
    }
    const status = await worker.status();
    const engineRate = median(saturation.engine);
    const rawRate = median(saturation.raw);
    const medianLatency = (runs: LatencyFigures[]) => ({ p50: median(runs.map((run) => run.p50)), p99: median(runs.map((run) => run.p99)), runs });
    return {
      saturation: { engineAcksPerSecond: engineRate, rawPerSecond: rawRate, ratio: engineRate / rawRate, rounds: saturation },
      latency: { offeredPerSecond: OFFERED_RATE, engine: medianLatency(latency.engine), raw: medianLatency(latency.raw) },
      engineBatchSizes: status?.partitions.map((entry) => entry.lastBatchSize),
    };
  } finally {
    await Promise.all([engineLoader.stop().catch(() => undefined), raw.stop()]);
    worker.signal('SIGTERM');
    await worker.exited;
  }
}

/** Writes a long history of valid engine records (one claim, then deposit outcomes plus checkpoints), fast. */
async function writeHistory(kafka: Kafka, eventsTopic: string): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const state = new PartitionState(accountsDomain() as never, 10_000);
  const balances = new Map<string, number>();
  const claim = 0;
  await producer.send({
    topic: eventsTopic,
    acks: -1,
    messages: [{ key: '', value: JSON.stringify({ type: 'claim', owner: 'history' } satisfies LogRecord), partition: 0 }],
  });
  let written = 0;
  while (written < HISTORY) {
    const messages: { key: string; value: string }[] = [];
    for (let index = 0; index < 2_000 && written < HISTORY; index++, written++) {
      const aggregateId = `acct-${written % ACCOUNTS}`;
      const balance = (balances.get(aggregateId) ?? 0) + 1;
      balances.set(aggregateId, balance);
      const record: LogRecord = {
        type: 'outcome',
        claim,
        commandId: `history-${written}`,
        aggregateId,
        events: [{ type: 'deposited', amount: 1 }],
        outcome: { ok: true, reply: { balance, held: 0 } },
      };
      state.fold(record);
      messages.push({ key: aggregateId, value: JSON.stringify(record) });
      if (written % 1000 === 999) messages.push({ key: '', value: JSON.stringify({ type: 'checkpoint', claim, stateHash: state.hash() } satisfies LogRecord) });
    }
    await producer.send({ topic: eventsTopic, acks: -1, messages: messages.map((message) => ({ ...message, partition: 0 })) });
    if (written % 200_000 === 0) say(`history: ${written}/${HISTORY}`);
  }
  await producer.disconnect();
}

/** Replay speed against a raw consumer of the same partition, and takeover with and without a snapshot. */
async function replayAndTakeover(kafka: Kafka, admin: Admin, prefix: string, topics: Record<string, string>) {
  say(`writing ${HISTORY} events of history`);
  await writeHistory(kafka, topics.historyEvents);
  const [{ high }] = await admin.fetchTopicOffsets(topics.historyEvents);

  say('raw consumer reading the whole partition');
  const rawStarted = performance.now();
  const consumer = kafka.consumer({ groupId: `${prefix}raw-reader`, maxBytesPerPartition: 16 * 1024 * 1024, maxBytes: 64 * 1024 * 1024, maxWaitTimeInMs: 100 });
  let rawCount = 0;
  let rawPosition = 0;
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => (rawPosition = Math.max(rawPosition, Number(payload.lastOffset) + 1)));
  await consumer.connect();
  await consumer.subscribe({ topic: topics.historyEvents, fromBeginning: true });
  await consumer.run({ autoCommit: false, eachBatch: async ({ batch }) => void (rawCount += batch.messages.length) });
  await until('raw consumer at the end', () => rawPosition >= Number(high), 300_000);
  const rawSeconds = (performance.now() - rawStarted) / 1000;
  await consumer.disconnect();

  const dataSource = await new DataSource(dataSourceOptions(databaseUrl)).initialize();
  const takeover = async (label: string) => {
    const logs: string[] = [];
    const engine = new PartitionEngine({
      domain: accountsDomain(),
      ...kafkaEnginePorts({ kafka, admin, topicPrefix: prefix, service: 'history' }),
      snapshots: new PostgresSnapshotStore(dataSource),
      logger: { log: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
      options: { snapshotEveryRecords: Number.MAX_SAFE_INTEGER, snapshotEveryMs: 3_600_000, stopSnapshotTimeoutMs: 60_000 },
    });
    say(`takeover ${label}`);
    const started = performance.now();
    await engine.start();
    try {
      await until(`engine serving (${label})`, () => engine.isReady(), Number(process.env.BENCH_TAKEOVER_TIMEOUT_MS ?? 600_000));
    } catch (error) {
      console.error(logs.slice(-20).join('\n'));
      throw error;
    }
    const seconds = (performance.now() - started) / 1000;
    const replayMs = Number(/events replayed in (\d+) ms/.exec(logs.join('\n'))?.[1]);
    const replayed = engine.status()[0].replay.total;
    await engine.stop();
    return { seconds, replayMs, replayed };
  };
  try {
    const cold = await takeover('without a snapshot (full replay)');
    const warm = await takeover('with the snapshot taken at the last stop');
    return {
      replay: {
        events: rawCount,
        rawEventsPerSecond: rawCount / rawSeconds,
        engineEventsPerSecond: cold.replayed / (cold.replayMs / 1000),
        ratio: cold.replayed / (cold.replayMs / 1000) / (rawCount / rawSeconds),
      },
      takeover: { withoutSnapshotSeconds: cold.seconds, withSnapshotSeconds: warm.seconds, eventsReplayedWithSnapshot: warm.replayed },
    };
  } finally {
    await dataSource.query('DELETE FROM partition_snapshots WHERE stream LIKE $1', [`${prefix}%`]).catch(() => undefined);
    await dataSource.destroy();
  }
}

function report(results: Record<string, unknown>): void {
  const r = results as {
    saturation: { engineAcksPerSecond: number; rawPerSecond: number; ratio: number };
    latency: { offeredPerSecond: number; engine: { p50: number; p99: number }; raw: { p50: number; p99: number } };
    replay?: { events: number; rawEventsPerSecond: number; engineEventsPerSecond: number; ratio: number };
    takeover?: { withoutSnapshotSeconds: number; withSnapshotSeconds: number };
  };
  const rows = [
    [
      'acknowledged commands/s at saturation',
      figure(r.saturation.engineAcksPerSecond),
      figure(r.saturation.rawPerSecond),
      `${figure(r.saturation.ratio * 100)} %`,
      '>= 60 %',
    ],
    [
      `p50 latency at ${r.latency.offeredPerSecond}/s (ms)`,
      figure(r.latency.engine.p50, 1),
      figure(r.latency.raw.p50, 1),
      `x${figure(r.latency.engine.p50 / r.latency.raw.p50, 2)}`,
      '',
    ],
    [
      `p99 latency at ${r.latency.offeredPerSecond}/s (ms)`,
      figure(r.latency.engine.p99, 1),
      figure(r.latency.raw.p99, 1),
      `x${figure(r.latency.engine.p99 / r.latency.raw.p99, 2)}`,
      '<= 25 ms',
    ],
  ];
  if (r.replay && r.takeover) {
    rows.push(
      [
        `replay events/s (${figure(r.replay.events)} events)`,
        figure(r.replay.engineEventsPerSecond),
        figure(r.replay.rawEventsPerSecond),
        `${figure(r.replay.ratio * 100)} %`,
        '>= 70 %',
      ],
      ['takeover without snapshot (s)', figure(r.takeover.withoutSnapshotSeconds, 2), '', '', ''],
      ['takeover with snapshot (s)', figure(r.takeover.withSnapshotSeconds, 2), '', '', '<= 1 s'],
    );
  }
  const table = markdownTable(['measure', 'engine', 'raw kafkajs', 'ratio', 'target'], rows);
  writeResults('engine', `Engine benchmark, ${results.date as string}`, table, results);
}
