import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, WriteStream } from 'node:fs';
import { join } from 'node:path';
import { appEntry, InstanceSpec } from '../lib/instances';
import { localStack, StackSize } from '../lib/local-stack';

/** One app instance the way a container platform runs it: the same name and port after every restart. */
export class SupervisedInstance {
  private child?: ChildProcess;
  private exit?: Promise<void>;

  constructor(
    readonly spec: InstanceSpec,
    private readonly log: WriteStream,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.spec.port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    const child = spawn(process.execPath, [appEntry(this.spec.app)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...this.spec.env, INSTANCE_ID: this.spec.name, PORT: String(this.spec.port) },
    });
    child.stdout.pipe(this.log, { end: false });
    child.stderr.pipe(this.log, { end: false });
    this.child = child;
    this.exit = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** Until `GET /health/ready` answers 200, or `timeoutMs`. */
  async ready(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.spec.name} exited while starting (see its log)`);
      const response = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
      if (response?.ok) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.spec.name} not ready after ${timeoutMs} ms`);
  }

  /** Sends `signal` and waits for the process to end (SIGKILL after `graceMs`). */
  async stop(signal: 'SIGTERM' | 'SIGKILL', graceMs = 60_000): Promise<void> {
    if (!this.running) return;
    this.child!.kill(signal);
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    await this.exit;
    clearTimeout(timer);
  }
}

/** The stack of `npm start` (`localStack`) on topics of its own (`env`), each instance's output in `<logDir>/<name>.log`. */
export function supervisedStack(size: StackSize, basePort: number, env: Record<string, string>, logDir: string): SupervisedInstance[] {
  mkdirSync(logDir, { recursive: true });
  return localStack(size, basePort).map(
    (spec) => new SupervisedInstance({ ...spec, env: { ...env, ...spec.env } }, createWriteStream(join(logDir, `${spec.name}.log`))),
  );
}
