import { ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface InstanceSpec {
  name: string;
  app: 'gateway' | 'inventory' | 'zone' | 'analytics';
  port: number;
  env?: Record<string, string>;
}

export const appEntry = (app: InstanceSpec['app']): string => `dist/apps/${app}/apps/${app}/src/main.js`;

const COLORS = [36, 33, 35, 32, 34, 31];

/** A running app process whose every output line is prefixed with its instance name. */
export class Instance {
  readonly process: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(
    readonly spec: InstanceSpec,
    index: number,
  ) {
    const prefix = `\x1b[${COLORS[index % COLORS.length]}m[${spec.name}]\x1b[0m `;
    // Own process group: a terminal Ctrl-C reaches only the supervisor, which stops each instance once.
    this.process = spawn(process.execPath, [appEntry(spec.app)], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...spec.env, INSTANCE_ID: spec.name, PORT: String(spec.port) },
    });
    for (const stream of [this.process.stdout, this.process.stderr]) {
      createInterface({ input: stream! }).on('line', (line) => console.log(prefix + line));
    }
    this.exited = new Promise((resolve) => this.process.on('exit', (code) => resolve(code)));
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  async isReady(): Promise<boolean> {
    try {
      const response = await fetch(`http://127.0.0.1:${this.spec.port}/health/ready`, { signal: AbortSignal.timeout(3000) });
      return response.ok;
    } catch {
      return false;
    }
  }

  /** SIGTERM, then SIGKILL if the graceful stop takes longer than `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    if (!this.running) return;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
