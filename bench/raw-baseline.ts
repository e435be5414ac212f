import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Admin, Kafka } from 'kafkajs';
import { RequestReplyLoader } from './request-reply-loader';

const repoRoot = resolve(__dirname, '..');

/**
 * The raw kafkajs pipeline every scenario compares against: loader -> input topic -> relay process ->
 * output topic -> loader, with no ownership, state or exactly-once. Its own topics, made here and removed on stop.
 */
export class RawBaseline {
  private constructor(
    readonly loader: RequestReplyLoader,
    private readonly relay: ChildProcess,
    private readonly admin: Admin,
    private readonly topics: string[],
  ) {}

  static async start(kafka: Kafka, admin: Admin, prefix: string, brokers: string[], partitions: number): Promise<RawBaseline> {
    const input = `${prefix}raw-in`;
    const output = `${prefix}raw-out`;
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: input, numPartitions: partitions },
        { topic: output, numPartitions: 1 },
      ],
    });
    const relay = spawn(process.execPath, ['--import', 'tsx', 'bench/raw-relay.ts', input, output, `${prefix}relay`], {
      cwd: repoRoot,
      env: { ...process.env, KAFKA_BROKERS: brokers.join(',') },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const loader = new RequestReplyLoader(kafka, input, output, undefined);
    await loader.start();
    return new RawBaseline(loader, relay, admin, [input, output]);
  }

  async stop(): Promise<void> {
    await this.loader.stop().catch(() => undefined);
    if (this.relay.exitCode === null) {
      const exited = new Promise((done) => this.relay.once('exit', done));
      this.relay.kill('SIGTERM');
      await exited;
    }
    await this.admin.deleteTopics({ topics: this.topics }).catch(() => undefined);
  }
}
