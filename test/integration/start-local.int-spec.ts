import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from '../support/free-port';
import { pollUntil } from '../support/poll';
import { deleteTopicsWithPrefix } from '../support/provisioned-topics';
import { randomName } from '../support/random-names';
import { testBrokers, testDatabaseUrl } from '../support/test-env';

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** `npm start` as a user runs it (without building again: `npm test` has just built dist/): every instance ready, then Ctrl-C (SIGINT to the group) leaves nothing behind, even once its output is gone. */
describe('the local stack (npm start)', () => {
  async function runStack(args: string[], check: (port: number, output: string, listed: { name: string; pid: number }[]) => Promise<void>): Promise<void> {
    const port = await freePort();
    const prefix = `${randomName('stack')}-`;
    const supervisor = spawn(process.execPath, ['--import', 'tsx', 'scripts/start-local.ts', ...args], {
      cwd: resolve(__dirname, '..', '..'),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PORT: String(port),
        TOPIC_PREFIX: prefix,
        KAFKA_PARTITIONS: '2',
        KAFKA_BROKERS: testBrokers().join(','),
        DATABASE_URL: testDatabaseUrl(),
      },
    });
    let output = '';
    supervisor.stdout!.on('data', (chunk) => (output += chunk));
    supervisor.stderr!.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((done) => supervisor.on('exit', (code) => done(code)));
    const listed = () => [...output.matchAll(/\[start\] {3}(\S+)\s+pid (\d+)/g)].map((match) => ({ name: match[1], pid: Number(match[2]) }));

    try {
      // Inside the test's own timeout, so a stack that never gets ready fails with its output, not a bare timeout.
      const allListed = () => Number(/all (\d+) instances ready/.exec(output)?.[1]) === listed().length;
      await pollUntil('every instance ready and listed', () => (allListed() ? true : undefined), 90_000).catch((error: Error) => {
        throw new Error(`${error.message}\n${output.slice(-20_000)}`);
      });
      const pids = listed();
      await check(port, output, pids);

      // As with `npm start | tee log`, where Ctrl-C ends tee too: the output goes away, the stop must not.
      supervisor.stdout!.destroy();
      process.kill(-supervisor.pid!, 'SIGINT');
      expect(await exited).toBe(0);
      expect(pids.filter((entry) => isAlive(entry.pid))).toEqual([]);
    } finally {
      // On failure, leave nothing behind: the instances run in their own process groups.
      for (const { pid } of listed()) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      if (supervisor.exitCode === null) process.kill(-supervisor.pid!, 'SIGKILL');
      // Not in the way of the test's own failure.
      await deleteTopicsWithPrefix(prefix).catch(() => undefined);
    }
  }

  const readyAt = async (port: number) => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status;

  it('gets all six instances ready and stops every one of them on Ctrl-C, even with its output pipe closed', () =>
    runStack(['--no-build'], async (port, output, listed) => {
      expect(output).toContain('all 6 instances ready');
      expect(listed.map((entry) => entry.name)).toEqual(['gateway', 'inventory-1', 'inventory-2', 'zone-1', 'zone-2', 'analytics']);
      for (const offset of [0, 11, 12, 21, 22, 30]) expect(await readyAt(port + offset)).toBe(200);
      expect(output).toMatch(/\[gateway\].*listening on port/);
    }));

  it('runs as many gateways as asked, gateway i on PORT + 100 × i, and prints where clients connect', () =>
    runStack(['--gateways', '2', '--inventory', '1', '--zones', '1', '--no-build'], async (port, output, listed) => {
      expect(listed.map((entry) => entry.name)).toEqual(['gateway-1', 'gateway-2', 'inventory-1', 'zone-1', 'analytics']);
      for (const offset of [0, 100, 11, 21, 30]) expect(await readyAt(port + offset)).toBe(200);
      expect(output).toContain(`clients: http://127.0.0.1:${port + 100}`);
    }));
});
