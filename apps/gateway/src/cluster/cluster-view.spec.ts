import type { PartitionStatus } from '@app/engine';
import { analyticsProcesses, clusterView, gatewayProcess, MemberReport, ownerStatusOf } from './cluster-view';

const serving = (partition: number, extra: Partial<PartitionStatus> = {}): PartitionStatus =>
  ({
    partition,
    phase: 'serving',
    replay: { done: 5, total: 5 },
    lag: 0,
    commitP99Ms: 3.5,
    lastSnapshotOffset: 40,
    lastOffset: 42,
    ...extra,
  }) as PartitionStatus;

const member = (clientId: string, assigned: number[], partitions: PartitionStatus[] | null, address = `${clientId}:1`): MemberReport => ({
  clientId,
  address,
  assigned,
  status: partitions ? { instanceId: clientId, ready: partitions.every((each) => each.phase === 'serving'), partitions, standbys: 2 } : null,
});

describe('clusterView', () => {
  it('lists every partition with its owner and what the owner says of it', () => {
    const view = clusterView([
      {
        service: 'inventory',
        partitionCount: 2,
        members: [member('a', [0], [serving(0)]), member('b', [1], [serving(1, { phase: 'recovering', replay: { done: 1, total: 9 } })])],
      },
    ]);

    expect(view.services).toEqual([
      {
        service: 'inventory',
        partitions: [
          {
            partition: 0,
            owner: 'a',
            address: 'a:1',
            phase: 'serving',
            replay: { done: 5, total: 5 },
            lag: 0,
            commitP99Ms: 3.5,
            lastSnapshotOffset: 40,
            lastOffset: 42,
          },
          {
            partition: 1,
            owner: 'b',
            address: 'b:1',
            phase: 'recovering',
            replay: { done: 1, total: 9 },
            lag: 0,
            commitP99Ms: 3.5,
            lastSnapshotOffset: 40,
            lastOffset: 42,
          },
        ],
      },
    ]);
    expect(view.processes).toEqual([
      { instanceId: 'a', service: 'inventory', address: 'a:1', ready: true, partitions: [0], standbys: 2 },
      { instanceId: 'b', service: 'inventory', address: 'b:1', ready: false, partitions: [1], standbys: 2 },
    ]);
  });

  it('says unassigned for a partition nobody holds and unknown for one whose owner did not answer', () => {
    const view = clusterView([{ service: 'zone', partitionCount: 3, members: [member('silent', [0], null), member('fresh', [1], [])] }]);

    expect(view.services[0].partitions.map(({ owner, phase }) => [owner, phase])).toEqual([
      ['silent', 'unknown'],
      ['fresh', 'unknown'],
      [null, 'unassigned'],
    ]);
    expect(view.services[0].partitions[0]).toMatchObject({ replay: null, lag: null, commitP99Ms: null, lastSnapshotOffset: null });
    expect(view.processes[0]).toEqual({ instanceId: 'silent', service: 'zone', address: 'silent:1', ready: null, partitions: [0], standbys: null });
  });

  it('mid-rebalance (no assignments) takes the owner from the engine still hosting the partition', () => {
    const view = clusterView([{ service: 'zone', partitionCount: 1, members: [member('a', [], [serving(0)])] }]);

    expect(view.services[0].partitions[0]).toMatchObject({ owner: 'a', phase: 'serving' });
    expect(view.processes[0].partitions).toEqual([0]);
  });

  it('names a process by the instance id it answers with, else by its client id', () => {
    const answered: MemberReport = {
      clientId: 'client',
      assigned: [0],
      status: { instanceId: 'inventory-7', ready: true, partitions: [serving(0)], standbys: 0 },
    };

    expect(clusterView([{ service: 'inventory', partitionCount: 1, members: [answered] }]).services[0].partitions[0]).toMatchObject({
      owner: 'inventory-7',
      address: null,
    });
  });
});

describe('ownerStatusOf', () => {
  it('takes a well-formed answer and drops malformed partitions', () => {
    expect(ownerStatusOf({ instanceId: 'a', ready: true, partitions: [serving(0), { partition: 'x' }], standbys: 1 })).toEqual({
      instanceId: 'a',
      ready: true,
      partitions: [serving(0)],
      standbys: 1,
    });
  });

  it.each([null, 'status', { ok: false, resend: true }, { ready: true }])('refuses %j', (answer) => expect(ownerStatusOf(answer)).toBeNull());
});

describe('the other processes', () => {
  it('lists the gateways first and the analytics instances last, with how many events partitions each is assigned', () => {
    const view = clusterView(
      [{ service: 'zone', partitionCount: 1, members: [member('zone-a', [0], [serving(0)])] }],
      [gatewayProcess('gateway-1', null, true), gatewayProcess('10.0.0.2:3000', 'http://10.0.0.2:3000', null)],
      analyticsProcesses([
        { clientId: 'analytics-1', assignment: { 'inventory.events': [0, 1], 'zone.events': [0] } },
        { clientId: 'analytics-2', assignment: {} },
      ]),
    );

    expect(view.processes.map(({ instanceId, service, address, ready, assigned }) => ({ instanceId, service, address, ready, assigned }))).toEqual([
      { instanceId: 'gateway-1', service: 'gateway', address: null, ready: true, assigned: undefined },
      { instanceId: '10.0.0.2:3000', service: 'gateway', address: 'http://10.0.0.2:3000', ready: null, assigned: undefined },
      { instanceId: 'zone-a', service: 'zone', address: 'zone-a:1', ready: true, assigned: undefined },
      { instanceId: 'analytics-1', service: 'analytics', address: null, ready: null, assigned: 3 },
      { instanceId: 'analytics-2', service: 'analytics', address: null, ready: null, assigned: 0 },
    ]);
  });
});
