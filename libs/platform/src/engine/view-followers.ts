import type { ChangedView } from '@app/engine';
import type { LinkPeer } from '@app/owner-link';

/**
 * Follows one connection may hold at once. A gateway follows the inventory of every player connected to it whose
 * partition is owned here, so this must exceed the players one gateway holds; it still bounds a peer's memory here
 * (about 100 bytes a follow).
 */
export const MAX_FOLLOWS_PER_PEER = 200_000;

/**
 * Which connected gateways follow which aggregates here, and the pushes of their changed views. A follow lives as long
 * as its connection (or until unfollowed): a gateway that loses the connection follows again wherever the aggregate's
 * owner is then. Follows outlive a partition's move away on purpose: if it comes back before the gateway notices, its
 * views still reach the gateway; a gateway that follows elsewhere unfollows here.
 */
export class ViewFollowers {
  private readonly byAggregate = new Map<string, Set<LinkPeer>>();
  private readonly byPeer = new Map<LinkPeer, Set<string>>();

  constructor(readonly maxPerPeer = MAX_FOLLOWS_PER_PEER) {}

  /** Aggregates followed by at least one peer. */
  get aggregates(): number {
    return this.byAggregate.size;
  }

  /** Adds the follow (again is fine); false when the peer holds its maximum already. */
  follow(peer: LinkPeer, aggregateId: string): boolean {
    let followed = this.byPeer.get(peer);
    if (followed?.has(aggregateId)) return true;
    if (!followed) {
      followed = new Set();
      this.byPeer.set(peer, followed);
      peer.onClose(() => this.forget(peer));
    }
    if (followed.size >= this.maxPerPeer) return false;
    followed.add(aggregateId);
    const followers = this.byAggregate.get(aggregateId) ?? new Set<LinkPeer>();
    followers.add(peer);
    this.byAggregate.set(aggregateId, followers);
    return true;
  }

  unfollow(peer: LinkPeer, aggregateId: string): void {
    this.byPeer.get(peer)?.delete(aggregateId);
    const followers = this.byAggregate.get(aggregateId);
    followers?.delete(peer);
    if (followers?.size === 0) this.byAggregate.delete(aggregateId);
  }

  /** Pushes each view to its aggregate's followers, as serialized (`{"aggregateId","view"}`); returns the pushes sent. */
  changed(changes: readonly ChangedView[]): number {
    let sent = 0;
    for (const { aggregateId, value } of changes) {
      // A peer that does not read loses pushes (pushJson says false); the next view brings it up to date.
      for (const peer of this.byAggregate.get(aggregateId) ?? []) if (peer.pushJson(value)) sent++;
    }
    return sent;
  }

  private forget(peer: LinkPeer): void {
    for (const aggregateId of this.byPeer.get(peer) ?? []) this.unfollow(peer, aggregateId);
    this.byPeer.delete(peer);
  }
}
