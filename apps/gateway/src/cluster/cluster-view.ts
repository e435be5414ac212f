import type { PartitionPhase, PartitionStatus } from '@app/engine';
import type { OwnerStatus } from '@app/platform';

/** `unassigned`: no member of the group holds it (a rebalance, no owner running); `unknown`: its owner did not say. */
export type ClusterPhase = PartitionPhase | 'unassigned' | 'unknown';

export interface PartitionView {
  partition: number;
  owner: string | null;
  address: string | null;
  phase: ClusterPhase;
  replay: { done: number; total: number } | null;
  lag: number | null;
  commitP99Ms: number | null;
  lastSnapshotOffset: number | null;
  lastOffset: number | null;
}

export interface ServiceView {
  service: string;
  partitions: PartitionView[];
}

export interface ProcessView {
  /** A peer gateway's is the host:port of its URL: its /health/ready does not name it. */
  instanceId: string;
  /** inventory, zone (the partition hosts), gateway or analytics. */
  service: string;
  /** An owner's owner-link address; a peer gateway's URL; null for this gateway and analytics instances. */
  address: string | null;
  /** null: it did not answer (unreachable, or DIRECT_COMMANDS=off: no link to ask on), or, analytics, it is not asked. */
  ready: boolean | null;
  partitions: number[];
  standbys: number | null;
  /** Analytics only: how many partitions of the events topics its group assigns it. */
  assigned?: number;
}

export interface ClusterView {
  services: ServiceView[];
  processes: ProcessView[];
}

/** One member of a service's group as read from the coordinator, with what it answered when asked (null: nothing). */
export interface MemberReport {
  /** Its Kafka client id: an engine joins with its INSTANCE_ID. */
  clientId: string;
  address?: string;
  /** Partitions of the commands topic assigned to it (empty while the group rebalances). */
  assigned: number[];
  status: OwnerStatus | null;
}

export interface ServiceReport {
  service: string;
  partitionCount: number;
  members: MemberReport[];
}

const instanceOf = (member: MemberReport): string => member.status?.instanceId ?? member.clientId;

/**
 * The partition's owner: the member the group assigns it to, or, mid-rebalance (no assignments then), the member whose
 * engine still hosts it.
 */
function ownerOf(partition: number, members: MemberReport[]): MemberReport | undefined {
  return (
    members.find((member) => member.assigned.includes(partition)) ??
    members.find((member) => member.status?.partitions.some((status) => status.partition === partition))
  );
}

function partitionView(partition: number, members: MemberReport[]): PartitionView {
  const owner = ownerOf(partition, members);
  const status: PartitionStatus | undefined = owner?.status?.partitions.find((each) => each.partition === partition);
  return {
    partition,
    owner: owner ? instanceOf(owner) : null,
    address: owner?.address ?? null,
    // Assigned but not in its engine's list yet (the engine has not taken it up) is as unknown as an owner that did not answer.
    phase: owner === undefined ? 'unassigned' : (status?.phase ?? 'unknown'),
    replay: status ? { done: status.replay.done, total: status.replay.total } : null,
    lag: status?.lag ?? null,
    commitP99Ms: status?.commitP99Ms ?? null,
    lastSnapshotOffset: status?.lastSnapshotOffset ?? null,
    lastOffset: status?.lastOffset ?? null,
  };
}

function processView(service: string, member: MemberReport): ProcessView {
  const hosted = member.status?.partitions.map((status) => status.partition) ?? [];
  return {
    instanceId: instanceOf(member),
    service,
    address: member.address ?? null,
    ready: member.status?.ready ?? null,
    partitions: [...new Set([...member.assigned, ...hosted])].sort((a, b) => a - b),
    standbys: member.status?.standbys ?? null,
  };
}

/** A gateway: this one (named by its INSTANCE_ID) or a peer of GATEWAY_PEER_URLS (named by its host:port). */
export const gatewayProcess = (instanceId: string, address: string | null, ready: boolean | null): ProcessView => ({
  instanceId,
  service: 'gateway',
  address,
  ready,
  partitions: [],
  standbys: null,
});

/** The members of the analytics group, each with how many events partitions it is assigned (nobody asks them more). */
export const analyticsProcesses = (members: { clientId: string; assignment: Record<string, number[]> }[]): ProcessView[] =>
  members.map(({ clientId, assignment }) => ({
    instanceId: clientId,
    service: 'analytics',
    address: null,
    ready: null,
    partitions: [],
    standbys: null,
    assigned: Object.values(assignment).reduce((sum, partitions) => sum + partitions.length, 0),
  }));

/**
 * Every partition of every service with its owner and how it is doing, and every process (the gateways first, the
 * analytics instances last): pure, from what was read.
 */
export function clusterView(reports: ServiceReport[], gateways: ProcessView[] = [], analytics: ProcessView[] = []): ClusterView {
  return {
    services: reports.map(({ service, partitionCount, members }) => ({
      service,
      partitions: Array.from({ length: partitionCount }, (_, partition) => partitionView(partition, members)),
    })),
    processes: [...gateways, ...reports.flatMap(({ service, members }) => members.map((member) => processView(service, member))), ...analytics],
  };
}

/** An owner's answer to `{ status: true }` when it has the expected shape; null otherwise (an older owner, a bug). */
export function ownerStatusOf(answer: unknown): OwnerStatus | null {
  if (typeof answer !== 'object' || answer === null) return null;
  const fields = answer as Record<string, unknown>;
  if (!Array.isArray(fields.partitions) || typeof fields.ready !== 'boolean') return null;
  return {
    instanceId: typeof fields.instanceId === 'string' ? fields.instanceId : null,
    ready: fields.ready,
    partitions: (fields.partitions as unknown[]).filter(isPartitionStatus),
    standbys: typeof fields.standbys === 'number' ? fields.standbys : 0,
  };
}

const isPartitionStatus = (value: unknown): value is PartitionStatus =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as PartitionStatus).partition === 'number' &&
  typeof (value as PartitionStatus).phase === 'string' &&
  typeof (value as PartitionStatus).replay === 'object';
