import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const repoRoot = resolve(__dirname, '..', '..');
const STOP_GRACE_MS = 10_000;

const running = new Set<ChildProcess>();
let guarded = false;

/**
 * Every child this scenario started, killed if the bench itself is interrupted (Ctrl-C, the with-kafka wrapper's
 * SIGTERM): the finally blocks do not run then, and a server left behind would skew the next run on this machine.
 */
export function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (guarded) return;
  guarded = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const orphan of running) orphan.kill('SIGKILL');
      process.exit(130);
    });
  }
}

/** SIGTERM, then SIGKILL if it has not exited after a grace; resolves once it has exited. */
export async function stopChild(child: ChildProcess, graceMs = STOP_GRACE_MS): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<boolean>((done) => (timer = setTimeout(() => done(true), graceMs)));
  if (await Promise.race([exited.then(() => false), graceOver])) {
    child.kill('SIGKILL');
    await exited;
  }
  clearTimeout(timer);
}

/** A peer server (a file of bench/peers) run as its own process, once it listens. */
export interface PeerProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startPeer(file: string, env: Record<string, string>): Promise<PeerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, file)], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  track(child);
  try {
    const port = await new Promise<number>((done, fail) => {
      child.once('message', (message) => done((message as { port: number }).port));
      child.once('exit', (code, signal) => fail(new Error(`${file} exited (code ${code}, signal ${signal}) before listening`)));
    });
    return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => stopChild(child) };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}
