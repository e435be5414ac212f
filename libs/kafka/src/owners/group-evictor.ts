import { Kafka } from 'kafkajs';

/** kafkajs's own broker connection to a group's coordinator; only the request this file makes is typed. */
interface Coordinator {
  leaveGroup(request: { groupId: string; memberId: string }): Promise<unknown>;
}
interface Cluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(request: { groupId: string }): Promise<Coordinator>;
}

/** Takes another member out of a consumer group: what the member's own LeaveGroup would do, sent on its behalf. */
export interface GroupEvictor {
  /** True when the member was taken out, false when the coordinator no longer knew it (it left or timed out). */
  evict(groupId: string, memberId: string): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * kafkajs has no admin call for LeaveGroup, and a dead member's partitions otherwise stay put until its session times
 * out. Its cluster (the same connections, security and retries as the rest of the client) sends the request; kafkajs
 * has had no release since 2023, so the private factory this reaches is fixed, and the test of the crash watch would
 * fail if it ever moved.
 */
export function groupEvictor(kafka: Kafka): GroupEvictor {
  const factory = Object.getOwnPropertySymbols(kafka).find((symbol) => symbol.description === 'private:Kafka:createCluster');
  if (!factory) throw new Error('this kafkajs has no cluster factory: members cannot be evicted');
  const cluster = (kafka as unknown as Record<symbol, (options: object) => Cluster>)[factory]({});
  let connected: Promise<void> | undefined;
  return {
    async evict(groupId, memberId) {
      connected ??= cluster.connect().catch((error: unknown) => {
        connected = undefined;
        throw error;
      });
      await connected;
      const coordinator = await cluster.findGroupCoordinator({ groupId });
      try {
        await coordinator.leaveGroup({ groupId, memberId });
        return true;
      } catch (error) {
        if ((error as { type?: string }).type === 'UNKNOWN_MEMBER_ID') return false;
        throw error;
      }
    },
    close: () => (connected ? cluster.disconnect() : Promise.resolve()),
  };
}
