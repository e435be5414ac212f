import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export type AppName = 'gateway' | 'inventory' | 'zone' | 'analytics';

const repoRoot = resolve(__dirname, '..', '..');

/** A built app run as a real process, with its output kept for assertions. */
export class AppProcess {
  readonly child: ChildProcess;
  /** Both streams as they came; `stdout` and `stderr` each alone. */
  output = '';
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(app: AppName, env: Record<string, string>) {
    const entry = resolve(repoRoot, `dist/apps/${app}/apps/${app}/src/main.js`);
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run 'npm run build' first`);
    this.child = spawn(process.execPath, [entry], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk) => {
      this.output += chunk;
      this.stdout += chunk;
    });
    this.child.stderr!.on('data', (chunk) => {
      this.output += chunk;
      this.stderr += chunk;
    });
    this.exited = new Promise((done) => this.child.on('exit', (code, signal) => done({ code, signal })));
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}
