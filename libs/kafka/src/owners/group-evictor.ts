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
  /** Connects and finds the group's coordinator ahead of the first eviction, when time counts. */
  prepare(groupId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * kafkajs has no admin call for LeaveGroup, and a dead member's partitions otherwise stay put until its session times
 * out. Its cluster (the same connections, security and retries as the rest of the client) sends the request; kafkajs
 * has had no release since 2023, so the private factory this reaches is fixed, and the crash watch's process test
 * would fail if it ever moved.
 */
export function groupEvictor(kafka: Kafka): GroupEvictor {
  const factory = Object.getOwnPropertySymbols(kafka).find((symbol) => symbol.description === 'private:Kafka:createCluster');
  if (!factory) throw new Error('this kafkajs has no cluster factory: members cannot be evicted');
  const cluster = (kafka as unknown as Record<symbol, (options: object) => Cluster>)[factory]({});
  let connected: Promise<void> | undefined;
  const coordinators = new Map<string, Promise<Coordinator>>();
  /** The group's coordinator, found once and again after a failure (it may have moved to another broker). */
  const coordinatorOf = (groupId: string): Promise<Coordinator> => {
    let found = coordinators.get(groupId);
    if (!found) {
      connected ??= cluster.connect();
      found = connected.then(() => cluster.findGroupCoordinator({ groupId }));
      coordinators.set(groupId, found);
      found.catch(() => {
        coordinators.delete(groupId);
        connected = undefined;
      });
    }
    return found;
  };
  const leave = async (groupId: string, memberId: string) => {
    try {
      await (await coordinatorOf(groupId)).leaveGroup({ groupId, memberId });
      return true;
    } catch (error) {
      if ((error as { type?: string }).type === 'UNKNOWN_MEMBER_ID') return false;
      coordinators.delete(groupId);
      throw error;
    }
  };
  return {
    // Once more on a failure: the coordinator found earlier may have moved.
    evict: (groupId, memberId) => leave(groupId, memberId).catch(() => leave(groupId, memberId)),
    prepare: async (groupId) => void (await coordinatorOf(groupId)),
    close: () => (connected ? cluster.disconnect().catch(() => undefined) : Promise.resolve()),
  };
}
