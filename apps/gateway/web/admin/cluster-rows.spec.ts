import type { ClusterView, PartitionView } from '../../src/cluster/cluster-view';
import { partitionRows, processRows, servingSummary } from './cluster-rows';

const partition = (service: string, index: number, fields: Partial<PartitionView> = {}): PartitionView => ({
  partition: index,
  owner: `${service}-a`,
  address: '127.0.0.1:4000',
  phase: 'serving',
  replay: { done: 1200, total: 1200 },
  lag: 0,
  commitP99Ms: 4.25,
  lastSnapshotOffset: 1100,
  lastOffset: 1234,
  ...fields,
});

const view: ClusterView = {
  services: [
    { service: 'inventory', partitions: [partition('inventory', 0), partition('inventory', 1, { phase: 'recovering', replay: { done: 5, total: 9 } })] },
    {
      service: 'zone',
      partitions: [
        partition('zone', 0, { owner: null, phase: 'unassigned', replay: null, lag: null, commitP99Ms: null, lastSnapshotOffset: null, lastOffset: null }),
      ],
    },
  ],
  processes: [
    { instanceId: 'inventory-a', service: 'inventory', address: '127.0.0.1:4000', ready: true, partitions: [0, 1], standbys: 0 },
    { instanceId: 'zone-b', service: 'zone', address: null, ready: null, partitions: [], standbys: null },
  ],
};

describe('cluster rows', () => {
  it('gives one row per partition of every service, its phase among its cells', () => {
    const rows = partitionRows(view);

    expect(rows.map(({ key, tone }) => [key, tone])).toEqual([
      ['inventory/0', 'ok'],
      ['inventory/1', 'busy'],
      ['zone/0', 'idle'],
    ]);
    expect(rows[0].cells).toEqual(['inventory', '0', 'inventory-a', 'serving', '1,200 / 1,200', '0', '4.3 ms', '1,100', '1,234']);
    expect(rows[2].cells).toEqual(['zone', '0', '–', 'unassigned', '–', '–', '–', '–', '–']);
  });

  it('marks a failed or diverged partition bad', () => {
    const failed = { ...view, services: [{ service: 'zone', partitions: [partition('zone', 0, { phase: 'diverged' })] }] };

    expect(partitionRows(failed)[0].tone).toBe('bad');
  });

  it('gives one row per process, saying when it did not answer', () => {
    expect(processRows(view).map(({ cells }) => cells)).toEqual([
      ['inventory-a', 'inventory', '127.0.0.1:4000', 'ready', '0, 1', '0'],
      ['zone-b', 'zone', '–', 'no answer', '–', '–'],
    ]);
  });

  it('gives gateways and analytics instances their rows: an analytics instance with its count of events partitions, not asked how it is', () => {
    const others = {
      ...view,
      processes: [
        { instanceId: 'gateway-1', service: 'gateway', address: null, ready: true, partitions: [], standbys: null },
        { instanceId: '10.0.0.2:3000', service: 'gateway', address: 'http://10.0.0.2:3000', ready: null, partitions: [], standbys: null },
        { instanceId: 'analytics-1', service: 'analytics', address: null, ready: null, partitions: [], standbys: null, assigned: 16 },
      ],
    };

    expect(processRows(others).map(({ cells, tone }) => [...cells, tone])).toEqual([
      ['gateway-1', 'gateway', '–', 'ready', '–', '–', 'ok'],
      ['10.0.0.2:3000', 'gateway', 'http://10.0.0.2:3000', 'no answer', '–', '–', 'idle'],
      ['analytics-1', 'analytics', '–', '–', '16 assigned', '–', 'idle'],
    ]);
  });

  it('sums up how many partitions serve per service', () => {
    expect(servingSummary(view)).toBe('inventory 1/2 serving · zone 0/1 serving');
  });
});
