import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { PartitionStatus } from '@app/engine';

export interface WorkerStatus {
  ready: boolean;
  partitions: (PartitionStatus & { fingerprint?: { hash: string; lastOffset: number } })[];
}

const repoRoot = resolve(__dirname, '..', '..');
let nextRequest = 0;

/** An accounts worker as a real OS process: kill -9, SIGSTOP, SIGTERM all mean what they say. */
export class WorkerProcess {
  readonly child: ChildProcess;
  output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly name: string,
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'test/support/accounts-worker.ts'], {
      cwd: repoRoot,
      env: { ...process.env, ...env, WORKER_NAME: name },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child.stdout!.on('data', (chunk) => (this.output += chunk));
    this.child.stderr!.on('data', (chunk) => (this.output += chunk));
    this.exited = new Promise((done) => this.child.on('exit', (code, signal) => done({ code, signal })));
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Asks the worker for its status over IPC; undefined when it does not answer in time (stopped, dead). */
  status(timeoutMs = 1_000): Promise<WorkerStatus | undefined> {
    if (!this.alive || !this.child.connected) return Promise.resolve(undefined);
    const id = ++nextRequest;
    return new Promise((done) => {
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const onMessage = (message: WorkerStatus & { id: number }) => {
        if (message.id === id) finish(message);
      };
      const finish = (value: WorkerStatus | undefined) => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        done(value);
      };
      this.child.on('message', onMessage);
      this.child.send({ type: 'status', id });
    });
  }

  signal(signal: NodeJS.Signals): void {
    if (this.alive) this.child.kill(signal);
  }
}
