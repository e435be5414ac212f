import { AssignerProtocol, PartitionAssigner, PartitionAssigners } from 'kafkajs';

/**
 * kafkajs's round-robin assignment, with this member's address in its group metadata (as Kafka Streams advertises
 * `application.server`): gateways read the group to learn which process owns which partition, and send commands there
 * straight. Same protocol name and assignment as the plain round robin, so members with and without it share a group.
 */
export function advertisingAssigner(address: string): PartitionAssigner {
  return (config) => {
    const roundRobin = PartitionAssigners.roundRobin(config);
    return {
      name: roundRobin.name,
      version: roundRobin.version,
      assign: (group) => roundRobin.assign(group),
      protocol: ({ topics }) => ({
        name: roundRobin.name,
        metadata: AssignerProtocol.MemberMetadata.encode({ version: roundRobin.version, topics, userData: Buffer.from(address, 'utf8') }),
      }),
    };
  };
}

/** What a member advertises, or undefined when it advertises nothing (an older member, or one without an address). */
export function advertisedAddress(memberMetadata: Buffer): string | undefined {
  try {
    const address = AssignerProtocol.MemberMetadata.decode(memberMetadata)?.userData?.toString('utf8');
    return address ? address : undefined;
  } catch {
    return undefined;
  }
}
