import { readFileSync } from 'node:fs';
import { cpuSeconds as cpuSecondsOf } from '../cpu-usage';

// /proc/stat counts CPU time in clock ticks (USER_HZ), which Linux fixes at 100 per second.
const TICKS_PER_SECOND = 100;

// Unrounded (cpuDuring rounds each process to 0.01 cores, a visible error over twenty PostgreSQL backends).
const cpuSeconds = (pid: number | undefined): number | undefined => (pid === undefined ? undefined : cpuSecondsOf(pid));

/** The processes whose CPU a step counts, by name; a name may stand for several (PostgreSQL has one per connection). */
export type Processes = Record<string, (number | undefined)[]>;

/** CPU seconds the whole machine has been busy so far (user, nice, system, interrupts), all cores together. */
function machineBusySeconds(): number {
  const [user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq) / TICKS_PER_SECOND;
}

/** The name under which a meter reports what the machine spent beyond the named processes: other work, interrupts. */
export const REST_OF_MACHINE = 'rest of the machine';
/** Cores busy beyond the named processes past which a window is flagged: on a quiet machine it stays under 0.15; other tenants' idle stacks add 0.2-0.3. */
export const NOISY_CORES = 0.4;

/**
 * Starts counting; the returned function gives the CPU seconds each name used since, summed over its processes,
 * and under REST_OF_MACHINE what the machine was busy with besides (other tenants of a shared machine show there).
 */
export function cpuMeter(processes: Processes): () => Record<string, number> {
  const before = Object.values(processes).map((pids) => pids.map(cpuSeconds));
  const machineBefore = machineBusySeconds();
  return () => {
    const machine = machineBusySeconds() - machineBefore;
    const used: Record<string, number> = {};
    Object.entries(processes).forEach(([name, pids], group) => {
      let total: number | undefined;
      pids.forEach((pid, index) => {
        const [start, end] = [before[group][index], cpuSeconds(pid)];
        if (start !== undefined && end !== undefined) total = (total ?? 0) + end - start;
      });
      if (total !== undefined) used[name] = Math.round(total * 100) / 100;
    });
    const named = Object.values(used).reduce((sum, seconds) => sum + seconds, 0);
    used[REST_OF_MACHINE] = Math.round(Math.max(0, machine - named) * 100) / 100;
    return used;
  };
}
