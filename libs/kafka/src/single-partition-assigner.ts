import { AssignerProtocol, PartitionAssigner } from 'kafkajs';

/**
 * Assigns exactly one partition of one topic to the (only) member of a private reader group:
 * kafkajs has no `assign()`, and a reader must not fetch partitions it does not replay.
 */
export function singlePartitionAssigner(topic: string, partition: number): PartitionAssigner {
  return () => ({
    name: 'SinglePartitionAssigner',
    version: 0,
    async assign({ members }) {
      return members.map(({ memberId }, index) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 0,
          assignment: index === 0 ? { [topic]: [partition] } : {},
          userData: Buffer.alloc(0),
        }),
      }));
    },
    protocol({ topics }) {
      return { name: 'SinglePartitionAssigner', metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) };
    },
  });
}
