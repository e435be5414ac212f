import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { DEFAULT_DATABASE_URL, DEFAULT_KAFKA_BROKERS, kafkaSecurityEnvSchema, parseEnv, toKafkaSecurity } from '@app/config';
import { createKafka } from '@app/kafka';

export const benchBrokers = (): string[] => (process.env.KAFKA_BROKERS || DEFAULT_KAFKA_BROKERS).split(',');

/** The bench's own Kafka client: the bench broker, with the TLS and SASL settings the apps read (KAFKA_SSL, KAFKA_SASL_*). */
export const benchKafka = (clientId: string, level = logLevel.NOTHING): Kafka =>
  createKafka({ brokers: benchBrokers(), clientId, logLevel: level, security: toKafkaSecurity(parseEnv(kafkaSecurityEnvSchema, process.env)) });
export const benchDatabaseUrl = (): string => process.env.DATABASE_URL || DEFAULT_DATABASE_URL;

export const say = (message: string): void => console.log(`[bench] ${message}`);
export const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
export const figure = (value: number, digits = 0): string => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The value at quantile `q` of unsorted samples (NaN when there are none). */
export function percentile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** What a figure was measured on: the machine is shared and noisy, so results say where they come from. */
export const hostFacts = (): Record<string, unknown> => ({
  date: new Date().toISOString(),
  host: { hostname: hostname(), cpus: cpus().length, node: process.version },
  brokers: benchBrokers(),
});

export const markdownTable = (header: string[], rows: string[][]): string =>
  [
    `| ${header.join(' | ')} |`,
    `| --- | ${header
      .slice(1, -1)
      .map(() => '---:')
      .join(' | ')} | --- |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');

/** Prints the table and writes bench/results/<name>.md and <name>.json. */
export function writeResults(name: string, title: string, table: string, results: Record<string, unknown>, notes = ''): void {
  console.log(`\n${table}\n${notes ? `\n${notes}\n` : ''}`);
  const folder = join(resolve(__dirname, '..'), 'bench', 'results');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(folder, `${name}.md`), `# ${title}\n\n${table}\n${notes ? `\n${notes}\n` : ''}`);
  say(`results written to bench/results/${name}.json and ${name}.md`);
}
