import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { commonEnvFields, DEFAULT_KAFKA_BROKERS, kafkaSecurityEnvSchema, parseEnv, toKafkaSecurity } from '@app/config';
import { probeBroker, waitForBroker } from '@app/kafka';

/** Newest release with which kafkajs 2.2.4 passes the smoke tests (see README). */
export const KAFKA_VERSION = '4.4.0';
/** Kafka 4.x resolves SLF4J 1.7, so the log4j2 binding is the 1.x one. */
const LOG4J_VERSION = '2.25.3';
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

const root = resolve(__dirname, '..', '..', '.local', 'kafka');

/** Where a broker keeps its data, logs and settings, and the ports it listens on (loopback). */
export interface BrokerPlace {
  dir: string;
  port: number;
  controllerPort: number;
  /** Set on each node of a cluster (see `clusterPlaces`); a broker without it is a cluster of one. */
  cluster?: ClusterSeat;
}

/** One node's seat in a cluster of combined broker + controller nodes: the same voters and id on every node. */
export interface ClusterSeat {
  nodeId: number;
  clusterId: string;
  /** Every node's controller port, node `i + 1` at index `i`: the controller quorum. */
  controllerPorts: number[];
}

const placePaths = (dir: string) => ({
  data: join(dir, 'data'),
  logs: join(dir, 'logs'),
  properties: join(dir, 'server.properties'),
  log4j: join(dir, 'log4j2.xml'),
  pid: join(dir, 'kafka.pid'),
});

/** The project's local broker: `.local/kafka`, 9092 (what `DEFAULT_KAFKA_BROKERS` names) and 9093. */
const localPlace: BrokerPlace = { dir: root, port: 9092, controllerPort: 9093 };

const paths = {
  root,
  libs: join(root, `dist-${KAFKA_VERSION}`, 'libs'),
  pom: join(root, `dist-${KAFKA_VERSION}`, 'pom.xml'),
  ...placePaths(root),
};

const brokerEnvSchema = commonEnvFields.pick({ KAFKA_BROKERS: true });

const say = (message: string) => console.log(`[kafka] ${message}`);

export interface KafkaHandle {
  brokers: string[];
  /** True when this call started the broker, so the caller should stop it again. */
  started: boolean;
}

/**
 * Makes a broker available: an external one named by KAFKA_BROKERS, a local one already
 * running, or a fresh local one started from Maven Central jars.
 */
export async function ensureKafka(env = process.env): Promise<KafkaHandle> {
  if (env.KAFKA_BROKERS) {
    // Same rule as the apps, so `KAFKA_BROKERS=foo` is named at once instead of after a 10 s connect loop.
    const brokers = parseEnv(brokerEnvSchema, env).KAFKA_BROKERS;
    // An external broker may want TLS/SASL: probe it the way the apps will connect.
    const security = toKafkaSecurity(parseEnv(kafkaSecurityEnvSchema, env));
    say(`KAFKA_BROKERS is set: using ${brokers.join(',')}, starting nothing`);
    try {
      await waitForBroker(brokers, 10_000, () => true, security);
    } catch (error) {
      throw new Error(`${(error as Error).message}\nCheck KAFKA_BROKERS, or unset it to start a local broker.`);
    }
    return { brokers, started: false };
  }
  const brokers = [DEFAULT_KAFKA_BROKERS];
  if (await reachable(brokers)) {
    say(`reusing the broker already running at ${brokers[0]}`);
    return { brokers, started: false };
  }
  requireTool('java', ['-version']);
  await fetchDistribution();
  startBroker();
  return { brokers, started: true };
}

async function reachable(brokers: string[]): Promise<boolean> {
  try {
    await probeBroker(brokers);
    return true;
  } catch {
    return false;
  }
}

function requireTool(tool: string, args: string[]): void {
  const probe = spawnSync(tool, args, { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `'${tool}' was not found, and it is needed to run a local Kafka broker (Java 17 + Maven).\n` +
        `Either install it, or point KAFKA_BROKERS at a running broker (KAFKA_BROKERS=host:9092 npm test),\n` +
        `or run the whole stack with 'docker compose up'.`,
    );
  }
}

async function fetchDistribution(): Promise<void> {
  if (existsSync(paths.libs) && readdirSync(paths.libs).some((jar) => jar.startsWith(`kafka_2.13-${KAFKA_VERSION}`))) return;
  requireTool('mvn', ['-v']);
  say(`fetching Apache Kafka ${KAFKA_VERSION} from Maven Central into ${paths.libs}`);
  mkdirSync(paths.libs, { recursive: true });
  writeFileSync(paths.pom, distributionPom());
  const staging = `${paths.libs}.partial`;
  rmSync(staging, { recursive: true, force: true });
  const result = spawnSync('mvn', ['-B', '-f', paths.pom, `${DEPENDENCY_PLUGIN}:copy-dependencies`, `-DoutputDirectory=${staging}`, '-DincludeScope=runtime'], {
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`mvn could not fetch Kafka ${KAFKA_VERSION} (exit ${result.status})`);
  rmSync(paths.libs, { recursive: true, force: true });
  spawnSync('mv', [staging, paths.libs]);
  say('fetched');
}

function distributionPom(): string {
  const dependency = (group: string, artifact: string, version: string) =>
    `<dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${version}</version></dependency>`;
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId><artifactId>kafka-distribution</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
    ${dependency('org.apache.kafka', 'kafka_2.13', KAFKA_VERSION)}
    ${dependency('org.apache.logging.log4j', 'log4j-slf4j-impl', LOG4J_VERSION)}
  </dependencies>
</project>
`;
}

function startBroker(place: BrokerPlace = localPlace): number {
  const paths = placePaths(place.dir);
  mkdirSync(paths.logs, { recursive: true });
  writeFileSync(paths.properties, serverProperties(place));
  writeFileSync(paths.log4j, log4jConfig(place));
  if (!existsSync(join(paths.data, 'meta.properties'))) {
    say(`formatting KRaft storage in ${paths.data}`);
    // Attached with `=`: a base64url id may start with '-', which the tool would otherwise read as an option (1 in 64).
    const clusterId = place.cluster?.clusterId ?? newClusterId();
    const format = spawnSync('java', [...jvmArgs('256m', place), 'kafka.tools.StorageTool', 'format', `--cluster-id=${clusterId}`, '-c', paths.properties], {
      encoding: 'utf8',
    });
    if (format.status !== 0) throw new Error(`formatting Kafka storage failed:\n${format.stdout}${format.stderr}`);
  }
  const out = openSync(join(paths.logs, 'stdout.log'), 'a');
  const broker = spawn('java', [...jvmArgs('512m', place), 'kafka.Kafka', paths.properties], {
    detached: true,
    stdio: ['ignore', out, out],
  });
  broker.unref();
  writeFileSync(paths.pid, String(broker.pid));
  say(`started broker (pid ${broker.pid}), log in ${join(paths.logs, 'server.log')}`);
  return broker.pid!;
}

/** A cluster id is 16 random bytes in unpadded base64url. */
const newClusterId = (): string => randomBytes(16).toString('base64url');

/**
 * Starts a broker of its own in `place` (formatted the first time, its data kept after), from the same jars as
 * the local one, and resolves with its pid once it can create a topic. For tests that kill and restart a broker
 * without touching the one everybody shares; the caller stops it. A node of a running cluster starts the same way.
 */
export async function startBrokerIn(place: BrokerPlace, timeoutMs = 90_000): Promise<number> {
  const [pid] = await startClusterIn([place], timeoutMs);
  return pid;
}

/** Seats `nodes` as one cluster: ids 1..n, one cluster id, every node a voter of the controller quorum. */
export function clusterPlaces(nodes: Omit<BrokerPlace, 'cluster'>[]): BrokerPlace[] {
  const clusterId = newClusterId();
  const controllerPorts = nodes.map((node) => node.controllerPort);
  return nodes.map((node, index) => ({ ...node, cluster: { nodeId: index + 1, clusterId, controllerPorts } }));
}

/**
 * Starts every node of a cluster of its own (see `clusterPlaces`) at once, since none serves before a quorum of
 * controllers runs, and resolves with their pids once each can create a topic (which, with the cluster's default
 * replication factor, needs every node up). Kills what it started if one does not come up.
 */
export async function startClusterIn(places: BrokerPlace[], timeoutMs = 90_000): Promise<number[]> {
  requireTool('java', ['-version']);
  await fetchDistribution();
  const pids = places.map((place) => startBroker(place));
  try {
    await Promise.all(places.map((place, index) => waitForBroker([`127.0.0.1:${place.port}`], timeoutMs, () => isAlive(pids[index]))));
  } catch (error) {
    for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    throw error;
  }
  return pids;
}

/** Waits until a freshly started local broker can create a topic. */
export async function awaitLocalBroker(timeoutMs = 90_000): Promise<void> {
  const pid = readPid();
  try {
    await waitForBroker([DEFAULT_KAFKA_BROKERS], timeoutMs, () => pid !== undefined && isAlive(pid));
  } catch (error) {
    const log = join(paths.logs, 'stdout.log');
    const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-30).join('\n') : '';
    throw new Error(`${(error as Error).message}\n--- last lines of ${log} ---\n${tail}`);
  }
  say(`ready at ${DEFAULT_KAFKA_BROKERS}`);
}

function jvmArgs(heap: string, place: BrokerPlace): string[] {
  const { log4j, logs } = placePaths(place.dir);
  return [
    `-Xmx${heap}`,
    `-Xms${heap}`,
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:InitiatingHeapOccupancyPercent=35',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${log4j}`,
    `-Dkafka.logs.dir=${logs}`,
    '-cp',
    join(paths.libs, '*'),
  ];
}

/**
 * One combined broker + controller, sized for a 2-core machine. Alone, its internals have one replica; in a cluster
 * every topic (internal ones too) defaults to one replica per node, and a write with acks=all counts once two have it.
 */
function serverProperties({ dir, port, controllerPort, cluster }: BrokerPlace): string {
  const seat = cluster ?? { nodeId: 1, controllerPorts: [controllerPort] };
  const voters = seat.controllerPorts.map((voterPort, index) => `${index + 1}@127.0.0.1:${voterPort}`).join(',');
  const replicas = seat.controllerPorts.length;
  const minInSync = Math.min(2, replicas);
  return `process.roles=broker,controller
node.id=${seat.nodeId}
controller.quorum.voters=${voters}
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${placePaths(dir).data}
num.partitions=1
auto.create.topics.enable=false
delete.topic.enable=true
default.replication.factor=${replicas}
min.insync.replicas=${minInSync}
offsets.topic.replication.factor=${replicas}
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=${replicas}
transaction.state.log.min.isr=${minInSync}
transaction.state.log.num.partitions=8
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
log.retention.check.interval.ms=300000
`;
}

function log4jConfig(place: BrokerPlace): string {
  const paths = placePaths(place.dir);
  return `<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders>
    <RollingFile name="server" fileName="${join(paths.logs, 'server.log')}" filePattern="${join(paths.logs, 'server.log.%i')}">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
      <Policies><SizeBasedTriggeringPolicy size="50 MB"/></Policies>
      <DefaultRolloverStrategy max="3"/>
    </RollingFile>
  </Appenders>
  <Loggers>
    <Logger name="kafka.request.logger" level="WARN"/>
    <Logger name="org.apache.kafka.controller" level="INFO"/>
    <Root level="INFO"><AppenderRef ref="server"/></Root>
  </Loggers>
</Configuration>
`;
}

function readPid(): number | undefined {
  if (!existsSync(paths.pid)) return undefined;
  const pid = Number(readFileSync(paths.pid, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops the local broker this project started (SIGTERM, then SIGKILL after a grace period). */
export async function stopKafka(graceMs = 30_000): Promise<void> {
  const pid = readPid();
  if (pid === undefined || !isAlive(pid)) {
    say('no local broker running');
    rmSync(paths.pid, { force: true });
    return;
  }
  say(`stopping broker (pid ${pid})`);
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  if (isAlive(pid)) {
    say('broker did not stop in time: killing it');
    process.kill(pid, 'SIGKILL');
  }
  rmSync(paths.pid, { force: true });
  say('stopped');
}

export async function kafkaStatus(): Promise<string> {
  const pid = readPid();
  const local = pid !== undefined && isAlive(pid) ? `local broker ${KAFKA_VERSION} running (pid ${pid})` : 'no local broker running';
  const brokers = (process.env.KAFKA_BROKERS ?? DEFAULT_KAFKA_BROKERS).split(',');
  const answers = (await reachable(brokers)) ? 'reachable' : 'not reachable';
  return `${local}; ${brokers.join(',')} ${answers}`;
}
