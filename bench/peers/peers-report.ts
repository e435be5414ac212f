import { stagesTable } from './stage-figures';
import { figure, markdownTable, writeResults } from '../bench-support';
import { StepFigures, Timing } from './open-loop';
import { ContractCheck } from './players';
import { NOISY_CORES, REST_OF_MACHINE } from './process-cpu';

export const CONTENDERS = [
  { key: 'project', label: 'this project' },
  { key: 'stateless', label: 'stateless + PostgreSQL' },
  { key: 'memory', label: 'in-memory' },
] as const;
export type ContenderKey = (typeof CONTENDERS)[number]['key'];

/** Sustained: at least this share of the offered rate acknowledged, with p99 at most this. */
const SUSTAINED_SHARE = 0.97;
const SUSTAINED_P99_MS = 250;
const REFERENCE_RATE = 1_000;

/** The highest rate sustained, or where the sweep could not tell: every rate tried passed, or none did. */
export type Sustained = { rate: number; bound: 'exact' | 'at-least' | 'below' };
export interface ContenderResult {
  contract: ContractCheck;
  steps: StepFigures[];
  sustained: Sustained;
  /** Noisy windows measured again. */
  remeasured: number;
}
export interface PeersSettings {
  players: number;
  rates: number[];
  timing: Timing;
  partitions: number;
  pgPool: number;
  postgres: Record<string, string>;
  /** The project's processes' settings beyond the defaults. */
  projectEnv: Record<string, string>;
}

/** Cores the rest of the machine kept busy during a step's window, and whether that was enough to skew it. */
export const restCores = (step: StepFigures): number => (step.cpuSeconds[REST_OF_MACHINE] ?? 0) / step.seconds;
export const isNoisy = (step: StepFigures): boolean => restCores(step) > NOISY_CORES;

export const isSustained = (step: StepFigures): boolean =>
  step.ackedPerSecond >= SUSTAINED_SHARE * step.offeredPerSecond && step.p99 !== null && step.p99 <= SUSTAINED_P99_MS;

export function sustainedRate(steps: StepFigures[], rates: number[]): Sustained {
  const passed = steps.filter(isSustained).map((step) => step.offeredPerSecond);
  if (passed.length === 0) return { rate: Math.min(...rates), bound: 'below' };
  const rate = Math.max(...passed);
  return { rate, bound: rate === Math.max(...rates) ? 'at-least' : 'exact' };
}

const showSustained = ({ rate, bound }: Sustained) =>
  bound === 'exact' ? `${figure(rate)}/s` : bound === 'at-least' ? `≥ ${figure(rate)}/s (every rate tried)` : `< ${figure(rate)}/s (none tried)`;

/** A ratio of two sustained rates as the interval it is known to lie in, since either may be a bound. */
function ratio(top: Sustained, bottom: Sustained): { low: number; high: number } {
  const range = ({ rate, bound }: Sustained) => (bound === 'exact' ? [rate, rate] : bound === 'at-least' ? [rate, Infinity] : [0, rate]);
  const [[topLow, topHigh], [bottomLow, bottomHigh]] = [range(top), range(bottom)];
  return { low: bottomHigh === Infinity ? 0 : topLow / bottomHigh, high: bottomLow === 0 ? Infinity : topHigh / bottomLow };
}

function showRatio({ low, high }: { low: number; high: number }, atLeast: number): [string, string] {
  const verdict = low >= atLeast ? 'met' : high < atLeast ? 'not met' : 'undecided';
  const value =
    low === high
      ? `x${figure(low, 2)}`
      : high === Infinity
        ? low === 0
          ? 'unknown'
          : `≥ x${figure(low, 2)}`
        : low === 0
          ? `≤ x${figure(high, 2)}`
          : `x${figure(low, 2)} to x${figure(high, 2)}`;
  return [value, `≥ x${atLeast} (${verdict})`];
}

const ms = (value: number | null) => (value === null ? '> drain' : figure(value, 1));
const notAcked = (step: StepFigures) => {
  const parts = [
    ...Object.entries(step.refused).map(([code, count]) => `${code} ${figure(count)}`),
    ...(step.unanswered ? [`unanswered ${figure(step.unanswered)}`] : []),
  ];
  return parts.length > 0 ? parts.join(', ') : '0';
};

export function reportPeers(facts: Record<string, unknown>, settings: PeersSettings, results: Record<ContenderKey, ContenderResult>): void {
  const stepAt = (key: ContenderKey, rate: number) => results[key].steps.find((step) => step.offeredPerSecond === rate);
  const sweep = markdownTable(
    ['offered/s', ...CONTENDERS.flatMap(({ label }) => [`${label}: acked/s`, 'p50 / p99 ms']), 'not acked in the window (project; stateless; in-memory)'],
    [
      ...settings.rates.map((rate) => {
        const steps = CONTENDERS.map(({ key }) => stepAt(key, rate));
        return [
          figure(rate),
          ...steps.flatMap((step) =>
            step
              ? [`${figure(step.ackedPerSecond)}${isSustained(step) ? '' : ' ✗'}${isNoisy(step) ? ' †' : ''}`, `${ms(step.p50)} / ${ms(step.p99)}`]
              : ['skipped', ''],
          ),
          steps.map((step) => (step ? notAcked(step) : '-')).join('; '),
        ];
      }),
      [
        '**sustained**',
        ...CONTENDERS.flatMap(({ key }) => [showSustained(results[key].sustained), '']),
        `acked ≥ ${SUSTAINED_SHARE * 100} % of offered, p99 ≤ ${SUSTAINED_P99_MS} ms`,
      ],
    ],
  );

  const reference = settings.rates.reduce((best, rate) => (Math.abs(rate - REFERENCE_RATE) < Math.abs(best - REFERENCE_RATE) ? rate : best));
  const [project, stateless] = [stepAt('project', reference), stepAt('stateless', reference)];
  // An unanswered p99 is past the drain: the ratio is then a bound.
  const drainMs = settings.timing.drainSeconds * 1000;
  const p99Ratio =
    project?.p99 && stateless && stateless.p99 !== 0
      ? `${stateless.p99 === null ? '< ' : ''}x${figure(project.p99 / (stateless.p99 ?? drainMs), 2)} (${ms(project.p99)} vs ${ms(stateless.p99)} ms)`
      : 'unknown';
  const p50 = project?.p50 ?? null;
  const ratios = {
    referenceRate: reference,
    projectP99OverStatelessP99: project?.p99 && stateless?.p99 ? project.p99 / stateless.p99 : null,
    projectP50Ms: p50,
    projectOverStateless: ratio(results.project.sustained, results.stateless.sustained),
    projectOverMemory: ratio(results.project.sustained, results.memory.sustained),
  };
  const targets = markdownTable(
    ['same-run measure', 'value', 'target'],
    [
      [`project p99 / stateless p99 at ${figure(reference)}/s`, p99Ratio, 'compared'],
      [`project p50 at ${figure(reference)}/s`, `${ms(p50)} ms`, `< 5 ms (${p50 !== null && p50 < 5 ? 'met' : 'not met'})`],
      ['project sustained / stateless sustained', ...showRatio(ratios.projectOverStateless, 3)],
      ['project sustained / in-memory sustained', ...showRatio(ratios.projectOverMemory, 0.5)],
    ],
  );

  // CPU per acknowledged command, in CPU microseconds, for each process at each rate it ran, and for the server's side.
  const cpuRows = CONTENDERS.flatMap(({ key, label }) => {
    const names = [...new Set(results[key].steps.flatMap((step) => Object.keys(step.cpuSeconds)))].filter((name) => name !== REST_OF_MACHINE);
    return [...names, SERVER_SIDE].map((name) => [
      `${label}: ${name}`,
      ...settings.rates.map((rate) => {
        const step = stepAt(key, rate);
        const seconds = step && cpuOf(step, name);
        return step && step.acked > 0 && seconds !== undefined ? figure((seconds / step.acked) * 1e6) : '';
      }),
      cpuAtSustained(results[key], name),
    ]);
  });
  const cpu = markdownTable(['CPU µs per acked command', ...settings.rates.map((rate) => `${figure(rate)}/s`), 'cores busy at the sustained rate'], cpuRows);

  const check = (key: ContenderKey) => results[key].contract;
  const notes = [
    `${settings.players} players, one raw socket.io-client socket each (no SDK, no retries), in the bench process. Open loop: at each offered rate`,
    `transfers of 1 gold to a random other player go out on a fixed schedule, round-robin over the players, whatever the answers;`,
    `${settings.timing.warmupSeconds} s warm-up, ${settings.timing.windowSeconds} s measured window, answers awaited ${settings.timing.drainSeconds} s after it.`,
    `acked/s counts ok answers received in the window; p50 / p99 are send to answer of the commands sent in the window ("> drain":`,
    'that quantile went unanswered); ✗ marks a rate not sustained. A sweep stops once acked < 50 % of offered or p99 > 5 s.',
    `† marks a window during which the rest of the machine kept more than ${NOISY_CORES} cores busy (each step first waits for a quiet second; a noisy window is measured again, a few times per server).`,
    `Servers take turns, one at a time, on this ${facts.host ? (facts.host as { cpus: number }).cpus : '?'}-core machine (shared: other work on it shows in the figures):`,
    `- this project: 1 gateway + 1 inventory process (two cores, so not the 2+ of production) over ${settings.partitions} partitions, with ${JSON.stringify(settings.projectEnv)}, Kafka`,
    '  (the local broker, counted in its CPU) and PostgreSQL (its backends for this run). It acknowledges a transfer once the',
    '  debit is appended to the log; the credit reaches the receiver through the outbox right after.',
    '- stateless: node:http + socket.io, each command one PostgreSQL transaction of six named statements (BEGIN, claim of',
    '  (player, commandId), both balances locked in key order, one UPDATE of both, the outcome, COMMIT): debit, credit and',
    `  outcome in the same commit. Pool of ${settings.pgPool}; server settings ${JSON.stringify(settings.postgres)}.`,
    '- in-memory: the same transport, state and dedupe in Maps, nothing durable.',
    'Every server pushes inventory:changed to the players whose gold changed (received per ok answer: ' +
      CONTENDERS.map(({ key, label }) => `${label} ${results[key].steps[0]?.changedPerAck ?? '?'}`).join(', ') +
      ').',
    "PostgreSQL CPU counts the run's backends plus the WAL writer, checkpointer and background writer, which serve the whole server.",
    `Before the load, each server was checked: a retry with the same commandId returned the first outcome (${CONTENDERS.map(({ key }) => check(key).retryReturnsFirstOutcome).join(', ')}),`,
    `an overdraft was refused (${CONTENDERS.map(({ key }) => check(key).overdraft).join(', ')}), a transfer to nobody answered (${CONTENDERS.map(({ key }) => check(key).unknownTarget).join(', ')}).`,
    `Rest of the machine (other processes, interrupts) in cores busy during the windows: ${CONTENDERS.map(({ key, label }) => `${label} ${restOfMachine(results[key])}`).join(', ')}.`,
    `Noisy windows measured again: ${CONTENDERS.map(({ key, label }) => `${label} ${results[key].remeasured}`).join(', ')}.`,
    'The generator (the bench process) shares the cores with the server: its CPU is in the last table, and where it and the',
    "server together fill the machine, the rate found is the machine's, not the server's alone.",
    `Generator lag (p99 behind its schedule, worst step per server): ${CONTENDERS.map(({ key, label }) => `${label} ${figure(Math.max(0, ...results[key].steps.map((step) => step.sendLagP99Ms)), 1)} ms`).join(', ')}.`,
  ].join('\n');
  const stages = `Where this project's time goes (ms, p50 / p99; read from the gateway's gateway_stage_ms and the owner's /engine/status right after each window):\n\n${stagesTable(results.project.steps)}`;
  writeResults('peers', `Peers benchmark, ${facts.date as string}`, [sweep, targets, cpu, stages].join('\n\n'), { ...facts, ratios, results }, notes);
}

/** Every process counted for a server but the bench's own. */
const SERVER_SIDE = 'all server-side processes';
function cpuOf(step: StepFigures, name: string): number | undefined {
  if (name !== SERVER_SIDE) return step.cpuSeconds[name];
  return Object.entries(step.cpuSeconds)
    .filter(([process]) => process !== 'bench' && process !== REST_OF_MACHINE)
    .reduce((sum, [, seconds]) => sum + seconds, 0);
}

function cpuAtSustained(result: ContenderResult, name: string): string {
  const step = result.sustained.bound === 'below' ? undefined : result.steps.find((candidate) => candidate.offeredPerSecond === result.sustained.rate);
  const seconds = step && cpuOf(step, name);
  return step && seconds !== undefined ? `${figure(seconds / step.seconds, 2)} at ${figure(step.offeredPerSecond)}/s` : '';
}

function restOfMachine(result: ContenderResult): string {
  const cores = result.steps.map(restCores);
  return cores.length > 0 ? `${figure(Math.min(...cores), 2)} to ${figure(Math.max(...cores), 2)}` : '-';
}
