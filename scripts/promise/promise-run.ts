import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseEnv, topicsEnvSchema, toKafkaSecurity } from '@app/config';
import { createKafka } from '@app/kafka';
import { migrate } from '@app/postgres';
import { deleteTopicsWithPrefix } from '../../test/support/provisioned-topics';
import { provisionFromEnv } from '../lib/provision';
import { checkLedger, LedgerFigures } from './ledger-check';
import { AckedTransfer, PlayerLoad } from './player-load';
import { MOST_PER_APP, StackSize } from '../lib/local-stack';
import { SupervisedInstance, supervisedStack } from './stack';

const GRANTED = 1_000_000;
const PARTITIONS = 8;

/** One disruption and what players saw of it. */
export interface Disruption {
  at: number;
  what: string;
  /** From the signal until the instance was ready again. */
  backMs: number;
}

export interface RunOptions extends StackSize {
  rate: number;
  traders: number;
  walkers: number;
  basePort: number;
}

const say = (line: string) => console.log(`[promise] ${line}`);

/** The stack, the load and the port from the command line, and `whole` to read a script's own options the same way. */
export function runOptions(extra: Record<string, { type: 'string'; default: string }> = {}) {
  const { values } = parseArgs({
    options: {
      gateways: { type: 'string', default: '2' },
      inventory: { type: 'string', default: '2' },
      zones: { type: 'string', default: '2' },
      rate: { type: 'string', default: '400' },
      traders: { type: 'string', default: '40' },
      walkers: { type: 'string', default: '40' },
      port: { type: 'string', default: '4000' },
      ...extra,
    },
  });
  const whole = (name: string, min: number, max: number) => {
    const value = Number(values[name as keyof typeof values]);
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
    return value;
  };
  const options: RunOptions = {
    gateways: whole('gateways', 1, MOST_PER_APP),
    inventory: whole('inventory', 1, MOST_PER_APP),
    zones: whole('zones', 1, MOST_PER_APP),
    rate: whole('rate', 1, 5_000),
    traders: whole('traders', 2, 1_000),
    walkers: whole('walkers', 0, 1_000),
    basePort: whole('port', 1_024, 60_000),
  };
  return { whole, options };
}

/** Stops `instance` with `signal`, starts it again at once, and says how long it took to be ready. */
export async function restarted(instance: SupervisedInstance, signal: 'SIGTERM' | 'SIGKILL'): Promise<Disruption> {
  const what = `${signal === 'SIGKILL' ? 'kill -9' : signal} ${instance.spec.name}`;
  say(what);
  const at = Date.now();
  await instance.stop(signal);
  instance.start();
  await instance.ready();
  return { at, what, backMs: Date.now() - at };
}

/** Runs a script's `main` and exits with its code (1 with the error when it throws). */
export function runScript(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/**
 * Starts a stack on topics of its own, puts players on it, runs `disrupt` under their load, then checks the promise:
 * nothing acknowledged lost or applied twice, the final state equal to the model of what was acknowledged.
 */
export async function promiseRun(name: string, options: RunOptions, disrupt: (instances: SupervisedInstance[]) => Promise<Disruption[]>): Promise<number> {
  const env = parseEnv(topicsEnvSchema, process.env);
  const prefix = `${name}-${randomBytes(4).toString('hex')}-`;
  const adminToken = randomBytes(24).toString('hex');
  const logDir = resolve(__dirname, '..', '..', '.local', 'promise', prefix.slice(0, -1));
  const instances = supervisedStack(
    options,
    options.basePort,
    { TOPIC_PREFIX: prefix, ADMIN_TOKEN: adminToken, KAFKA_BROKERS: env.KAFKA_BROKERS.join(',') },
    logDir,
  );
  const kafka = createKafka({ brokers: env.KAFKA_BROKERS, clientId: name, security: toKafkaSecurity(env) });
  let load: PlayerLoad | undefined;
  const cleanUp = async () => {
    await load?.stop();
    load?.close();
    await Promise.all(instances.map((instance) => instance.stop('SIGTERM')));
    await deleteTopicsWithPrefix(prefix).catch((error: unknown) => say(`topics ${prefix}* left behind: ${(error as Error).message}`));
  };
  // Ctrl-C (or a CI timeout) stops the stack and removes its topics as the end of a run does.
  const interrupted = (signal: NodeJS.Signals) => void cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  try {
    await migrate(env.DATABASE_URL);
    await provisionFromEnv({ ...env, TOPIC_PREFIX: prefix, KAFKA_PARTITIONS: PARTITIONS }, name);
    instances.forEach((instance) => instance.start());
    await Promise.all(instances.map((instance) => instance.ready()));
    const gateways = instances.filter((instance) => instance.spec.app === 'gateway').map((instance) => instance.url);
    say(`stack ready: ${instances.map((instance) => `${instance.spec.name} ${instance.url}`).join(', ')}; logs in ${logDir}`);
    load = await PlayerLoad.connect(gateways, options.traders, options.walkers, prefix.replace(/-/g, ''));
    const players = load.traders.map((trader) => trader.playerId);
    const admin = (path: string, init: RequestInit = {}) =>
      fetch(`${gateways[0]}/admin/players/${path}`, { ...init, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' } });
    for (const player of players) {
      const granted = await admin(`${player}/grants`, { method: 'POST', body: JSON.stringify({ grantId: 'start', gold: GRANTED }) });
      if (!granted.ok) throw new Error(`grant refused: ${granted.status}`);
    }
    say(`${options.traders} traders sending gold (${options.rate} commands/s in all), ${options.walkers} walkers in meadow`);
    load.start(options.rate);
    const disruptions = await disrupt(instances);
    await load.stop();
    say('load stopped; checking what was acknowledged against the log and the admin API');
    const goldOf = async (player: string) => {
      const response = await admin(`${player}/inventory`).catch(() => undefined);
      return response?.ok ? ((await response.json()) as { gold: number }).gold : undefined;
    };
    let ledger = await checkLedger(kafka, prefix, PARTITIONS, load.acked, players, GRANTED, goldOf);
    // Credits travel after their debit's acknowledgement: give them time to land before calling any lost.
    for (let attempt = 0; attempt < 30 && (ledger.lost > 0 || ledger.mismatched > 0); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      ledger = await checkLedger(kafka, prefix, PARTITIONS, load.acked, players, GRANTED, goldOf);
    }
    return report(name, load, disruptions, ledger);
  } finally {
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
    await cleanUp();
  }
}

function pauseAfter(acked: AckedTransfer[], from: number, to: number): number {
  let worst = 0;
  for (const { sentAt, ackedAt } of acked) {
    if (ackedAt < from || sentAt > to) continue;
    worst = Math.max(worst, ackedAt - Math.max(sentAt, from));
  }
  return worst;
}

function report(name: string, load: PlayerLoad, disruptions: Disruption[], ledger: LedgerFigures): number {
  const refused = Object.values(load.refused).reduce((sum, count) => sum + count, 0);
  const latencies = load.acked.map(({ sentAt, ackedAt }) => ackedAt - sentAt).sort((a, b) => a - b);
  const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  const lines = [
    `# ${name} report`,
    '',
    `acknowledged ${load.acked.length}, refused ${refused}${refused ? ` ${JSON.stringify(load.refused)}` : ''}, no definite answer ${load.failed}`,
    `lost ${ledger.lost} (must be 0), doubled ${ledger.doubled} (must be 0), players whose gold differs from the model ${ledger.mismatched}`,
    // Lost is counted per sender (the SDK keeps commandIds to itself): a command applied without an answer hides one.
    ...(load.failed > 0 ? [`${load.failed} without a definite answer: lost and the model are not exact in this run`] : []),
    `gold in all ${ledger.goldTotal} (granted ${ledger.goldExpected}); acknowledgement p50 ${percentile(0.5)} ms, p99 ${percentile(0.99)} ms`,
    '',
    '| at (s) | what | back ready after (ms) | longest wait for an acknowledgement (ms) | longest zone tick gap (ms) |',
    '| ---: | --- | ---: | ---: | ---: |',
  ];
  const started = disruptions[0]?.at ?? 0;
  disruptions.forEach((disruption, index) => {
    const until = disruptions[index + 1]?.at ?? Infinity;
    const gap = Math.max(0, ...load.tickGaps.filter(({ endedAt }) => endedAt >= disruption.at && endedAt < until).map(({ ms }) => ms));
    lines.push(
      `| ${((disruption.at - started) / 1_000).toFixed(1)} | ${disruption.what} | ${disruption.backMs} | ${pauseAfter(load.acked, disruption.at, until)} | ${gap || '-'} |`,
    );
  });
  console.log(lines.join('\n'));
  return ledger.lost === 0 && ledger.doubled === 0 && ledger.mismatched === 0 ? 0 : 1;
}
