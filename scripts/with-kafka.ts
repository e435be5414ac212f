import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { surviveClosedOutput } from './lib/closed-output';
import { awaitLocalBroker, ensureKafka, stopKafka } from './lib/local-kafka';

/**
 * `with-kafka.ts <command...>`: makes sure a broker is reachable, runs the command,
 * and stops the broker afterwards if this script started it. Exits with the command's code.
 */
async function main(): Promise<number> {
  surviveClosedOutput();
  const [command, ...args] = process.argv.slice(2);
  if (!command) throw new Error('usage: with-kafka.ts <command> [args...]');
  const kafka = await ensureKafka();
  const local = resolve(__dirname, '..', '.local');
  const summary = join(local, 'test-summary.txt');
  mkdirSync(local, { recursive: true });
  rmSync(summary, { force: true });
  try {
    if (kafka.started) await awaitLocalBroker();
    const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, KAFKA_BROKERS: kafka.brokers.join(','), TEST_SUMMARY_FILE: summary } });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward).on('SIGTERM', forward);
    return await new Promise<number>((resolve, reject) => {
      // A command that cannot start (ENOENT) emits no exit; rejecting still stops the broker below.
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    if (kafka.started) await stopKafka();
    // The test summary closes the output, after the broker's shutdown lines.
    if (existsSync(summary)) process.stdout.write(`\n${readFileSync(summary, 'utf8')}`);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
