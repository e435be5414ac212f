import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrokerPlace, startBrokerIn } from '../../scripts/lib/local-kafka';
import { freePort } from './free-port';
import { pollUntil } from './poll';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * A Kafka broker of one test's own (the suite's broker is shared and must never be stopped): free loopback ports,
 * its own data directory, started with the project's local-broker helpers. It can be killed and started again on
 * the same data; `remove` kills it and deletes its directory.
 */
export class OwnBroker {
  private constructor(
    private readonly place: BrokerPlace,
    private pid: number,
  ) {}

  static async start(): Promise<OwnBroker> {
    const place = { dir: mkdtempSync(join(tmpdir(), 'own-kafka-')), port: await freePort(), controllerPort: await freePort() };
    try {
      return new OwnBroker(place, await startBrokerIn(place));
    } catch (error) {
      rmSync(place.dir, { recursive: true, force: true });
      throw error;
    }
  }

  get brokers(): string {
    return `127.0.0.1:${this.place.port}`;
  }

  /** kill -9, and waits until the process is gone. */
  async kill(): Promise<void> {
    if (alive(this.pid)) process.kill(this.pid, 'SIGKILL');
    await pollUntil('the broker gone', () => (alive(this.pid) ? undefined : true), 10_000);
  }

  /** Starts it again on the same data and ports; resolves once it can create a topic. */
  async restart(): Promise<void> {
    this.pid = await startBrokerIn(this.place);
  }

  async remove(): Promise<void> {
    await this.kill().catch(() => undefined);
    rmSync(this.place.dir, { recursive: true, force: true });
  }
}
