import { Admin, AssignerProtocol } from 'kafkajs';
import { advertisedAddress } from './advertising-assigner';

/** One member of a service's group as others see it: who it is, where it is reached, what it owns. */
export interface GroupMember {
  memberId: string;
  /** The Kafka client id it joined with (an engine's is its INSTANCE_ID). */
  clientId: string;
  /** What it advertises (`host:port`), undefined when nothing. */
  address?: string;
  /** Partitions of each topic assigned to it; empty while the group rebalances. */
  assignment: Record<string, number[]>;
}

const REBALANCING = new Set(['PreparingRebalance', 'CompletingRebalance']);

/** The group's members as the coordinator describes them now, and whether it is rebalancing (no assignments then). */
export async function readGroup(admin: Admin, groupId: string): Promise<{ rebalancing: boolean; members: GroupMember[] }> {
  const { groups } = await admin.describeGroups([groupId]);
  const members = (groups[0]?.members ?? []).map((member) => ({
    memberId: member.memberId,
    clientId: member.clientId,
    address: advertisedAddress(member.memberMetadata),
    assignment: member.memberAssignment.length > 0 ? (AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment ?? {}) : {},
  }));
  return { rebalancing: REBALANCING.has(groups[0]?.state ?? ''), members };
}
