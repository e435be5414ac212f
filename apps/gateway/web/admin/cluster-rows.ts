import type { ClusterView } from '../../src/cluster/cluster-view';
import { count, millis, NONE, replay } from './format';

/** One table row: `key` keeps the same element across refreshes, `tone` colours it. */
export interface Row {
  key: string;
  cells: string[];
  tone: 'ok' | 'busy' | 'bad' | 'idle';
}

export const PARTITION_COLUMNS = ['service', 'partition', 'owner', 'phase', 'replay', 'lag', 'commit p99', 'last snapshot', 'last offset'];
export const PROCESS_COLUMNS = ['instance', 'service', 'address', 'ready', 'partitions', 'standbys'];

const PHASE_TONES: Record<string, Row['tone']> = { serving: 'ok', recovering: 'busy', unknown: 'idle', unassigned: 'idle', released: 'idle' };

/** One row per partition of every service, in service then partition order. */
export function partitionRows(view: ClusterView): Row[] {
  return view.services.flatMap(({ service, partitions }) =>
    partitions.map((each) => ({
      key: `${service}/${each.partition}`,
      cells: [
        service,
        String(each.partition),
        each.owner ?? NONE,
        each.phase,
        replay(each.replay),
        count(each.lag),
        millis(each.commitP99Ms),
        count(each.lastSnapshotOffset),
        count(each.lastOffset),
      ],
      tone: PHASE_TONES[each.phase] ?? 'bad',
    })),
  );
}

type ProcessView = ClusterView['processes'][number];

/** Analytics instances are not asked how they are (only seen in their group): no answer is expected of them. */
const readiness = ({ ready, service }: ProcessView): string =>
  ready === null ? (service === 'analytics' ? NONE : 'no answer') : ready ? 'ready' : 'not ready';

/** A partition host's partitions; an analytics instance's count of events partitions (of several topics). */
const partitionsOf = ({ partitions, assigned }: ProcessView): string =>
  assigned !== undefined ? `${assigned} assigned` : partitions.length > 0 ? partitions.join(', ') : NONE;

/** One row per process: the gateways, every member of every service's group, the analytics instances. */
export function processRows(view: ClusterView): Row[] {
  return view.processes.map((each) => ({
    key: `${each.service}/${each.instanceId}`,
    cells: [each.instanceId, each.service, each.address ?? NONE, readiness(each), partitionsOf(each), count(each.standbys)],
    tone: each.ready === true ? 'ok' : each.ready === false ? 'busy' : 'idle',
  }));
}

/** A one-line summary: how many partitions serve of how many, per service. */
export function servingSummary(view: ClusterView): string {
  return view.services
    .map(({ service, partitions }) => `${service} ${partitions.filter(({ phase }) => phase === 'serving').length}/${partitions.length} serving`)
    .join(' · ');
}
