import { KubeObject, podSpecOf } from './kustomize';

/** What tests read of rendered workloads: which pods a selector picks, how long a preStop waits, memory sizes. */

type Labels = Record<string, string>;

const selects = (selector: Labels, labels: Labels = {}) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels[key] === value);

/** The names of the workloads whose pods a label selector picks. */
export function selectedWorkloads(objects: KubeObject[], selector: Labels): string[] {
  return objects
    .filter((object) => podSpecOf(object) && selects(selector, (object.spec as { template: { metadata: { labels?: Labels } } }).template.metadata.labels))
    .map((object) => object.metadata.name);
}

interface PreStop {
  sleep?: { seconds: number };
  exec?: { command?: string[] };
}

/** A preStop hook's delay in seconds: `sleep N` (exec or the sleep action); 0 without a hook, and any other hook throws. */
export function preStopSeconds(container: { lifecycle?: { preStop?: PreStop } }): number {
  const hook = container.lifecycle?.preStop;
  if (!hook) return 0;
  if (hook.sleep) return hook.sleep.seconds;
  const command = hook.exec?.command;
  if (command?.length === 2 && command[0] === 'sleep' && /^\d+$/.test(command[1])) return Number(command[1]);
  throw new Error(`preStop ${JSON.stringify(hook)}: expected sleep N`);
}

/** A memory quantity in MiB; only Mi and Gi are read. */
export function mebibytes(quantity: string): number {
  const [, amount, unit] = /^(\d+)(Mi|Gi)$/.exec(quantity) ?? [];
  if (!amount) throw new Error(`memory ${quantity}: expected Mi or Gi`);
  return Number(amount) * (unit === 'Gi' ? 1024 : 1);
}
