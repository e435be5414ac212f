import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { migrate } from '@app/postgres';
import globalSetup from '../support/global-setup';
import { freePort } from '../support/free-port';
import { testBrokers } from '../support/test-env';

const ROOT = resolve(__dirname, '..', '..');

/** Runs `with-kafka.ts` (what `npm test` runs jest through) around a command that leaves a marker file. */
function withKafka(env: Record<string, string>): Promise<{ code: number | null; output: string; ran: boolean }> {
  const folder = mkdtempSync(join(tmpdir(), 'with-kafka-'));
  const marker = join(folder, 'ran');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/with-kafka.ts', process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((done) =>
    // 'close', not 'exit': the last lines, the ones checked, may still be in the pipes at exit.
    child.on('close', (code) => {
      const ran = existsSync(marker);
      rmSync(folder, { recursive: true, force: true });
      done({ code, output, ran });
    }),
  );
}

/** The test command fails with a message naming the problem, and runs no test, when a service is not where it is said to be. */
describe('the test command, pointed at the wrong services', () => {
  it('fails before running anything when nothing listens at KAFKA_BROKERS', async () => {
    const port = await freePort();
    const result = await withKafka({ KAFKA_BROKERS: `127.0.0.1:${port}` });
    expect(result).toMatchObject({ code: 1, ran: false });
    expect(result.output).toContain(`Kafka at 127.0.0.1:${port} is not reachable`);
    expect(result.output).toContain('Check KAFKA_BROKERS');
  });

  it('names a malformed KAFKA_BROKERS', async () => {
    const result = await withKafka({ KAFKA_BROKERS: 'no-port-here' });
    expect(result).toMatchObject({ code: 1, ran: false });
    expect(result.output).toContain('KAFKA_BROKERS: expected comma-separated host:port pairs');
  });

  it('runs the command against a broker that answers', async () => {
    const result = await withKafka({ KAFKA_BROKERS: testBrokers().join(',') });
    expect(result).toMatchObject({ code: 0, ran: true });
  });

  describe('DATABASE_URL', () => {
    const saved = process.env.DATABASE_URL;
    afterEach(() => {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    });

    it('fails the test setup when no PostgreSQL answers there, and hides the password', async () => {
      process.env.DATABASE_URL = `postgres://tester:s3cret@127.0.0.1:${await freePort()}/postgres`;
      const { message } = await globalSetup().then(
        () => new Error('globalSetup succeeded'),
        (error: Error) => error,
      );
      expect(message).toMatch(/^Cannot reach PostgreSQL at DATABASE_URL \(postgres:\/\/tester:\*\*\*@127\.0\.0\.1:\d+\/postgres\): .*ECONNREFUSED/);
      expect(message).not.toContain('s3cret');
    });

    it('fails a migration (npm start, npm run db:migrate) naming DATABASE_URL when no PostgreSQL answers', async () => {
      const url = `postgres://tester:s3cret@127.0.0.1:${await freePort()}/postgres`;
      await expect(migrate(url)).rejects.toThrow(
        /^Cannot migrate PostgreSQL at DATABASE_URL \(postgres:\/\/tester:\*\*\*@127\.0\.0\.1:\d+\/postgres\): .*ECONNREFUSED/,
      );
    });

    it('names a DATABASE_URL that is not a postgres URL', async () => {
      process.env.DATABASE_URL = 'mysql://root@127.0.0.1/db';
      await expect(globalSetup()).rejects.toThrow('DATABASE_URL: expected a postgres:// or postgresql:// URL');
    });
  });
});
