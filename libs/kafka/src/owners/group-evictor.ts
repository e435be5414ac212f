import { Kafka } from 'kafkajs';
import { ClusterBroker, kafkaCluster } from '../kafkajs-cluster';

/** Takes another member out of a consumer group: what the member's own LeaveGroup would do, sent on its behalf. */
export interface GroupEvictor {
  /** True when the member was taken out, false when the coordinator no longer knew it (it left or timed out). */
  evict(groupId: string, memberId: string): Promise<boolean>;
  /** Connects and finds the group's coordinator ahead of the first eviction, when time counts. */
  prepare(groupId: string): Promise<void>;
  /** Disconnects for good: evict and prepare reject after it (EvictorClosedError) rather than connect again. */
  close(): Promise<void>;
}

/** The evictor was closed: nothing was sent. */
export class EvictorClosedError extends Error {
  constructor() {
    super('the group evictor is closed');
    this.name = 'EvictorClosedError';
  }
}

/** kafkajs has no admin call for LeaveGroup, and a dead member's partitions otherwise stay put until its session times out. */
export function groupEvictor(kafka: Kafka): GroupEvictor {
  const cluster = kafkaCluster(kafka);
  let connected: Promise<void> | undefined;
  // Once closed, nothing connects again: an eviction retrying after a failure would otherwise reopen the cluster.
  let closed = false;
  const coordinators = new Map<string, Promise<ClusterBroker>>();
  /** The group's coordinator, found once and again after a failure (it may have moved to another broker). */
  const coordinatorOf = (groupId: string): Promise<ClusterBroker> => {
    if (closed) return Promise.reject(new EvictorClosedError());
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
    evict: (groupId, memberId) =>
      leave(groupId, memberId).catch(() => {
        if (closed) throw new EvictorClosedError();
        return leave(groupId, memberId);
      }),
    prepare: async (groupId) => void (await coordinatorOf(groupId)),
    close: async () => {
      closed = true;
      coordinators.clear();
      if (!connected) return;
      // A connect under way finishes first, so the disconnect closes what it opened.
      await connected.catch(() => undefined);
      await cluster.disconnect().catch(() => undefined);
    },
  };
}
