import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// /proc/<pid>/stat counts CPU time in clock ticks (USER_HZ), which Linux fixes at 100 per second.
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) `pid` has used so far, unrounded; undefined where /proc is not there to tell. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** The local broker's pid, when `npm run kafka:start` runs it. */
export function localBrokerPid(): number | undefined {
  const file = resolve(__dirname, '..', '.local', 'kafka', 'kafka.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) || undefined : undefined;
}

/**
 * Where the CPU went during `work`: CPU seconds per named process over the wall-clock seconds it took
 * (1.0 is one core busy the whole time). Shows which process a scenario is bound by on a shared machine.
 */
export async function cpuDuring<T>(
  processes: Record<string, number | undefined>,
  work: () => Promise<T>,
): Promise<{ result: T; coresBusy: Record<string, number> }> {
  const before = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, pid === undefined ? undefined : cpuSeconds(pid)]));
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  const coresBusy: Record<string, number> = {};
  for (const [name, pid] of Object.entries(processes)) {
    const after = pid === undefined ? undefined : cpuSeconds(pid);
    if (after !== undefined && before[name] !== undefined) coresBusy[name] = Math.round(((after - before[name]!) / seconds) * 100) / 100;
  }
  return { result, coresBusy };
}
