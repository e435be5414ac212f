import { AggregateFollows, aggregateOwnersOver } from './aggregate-follows';
import { readChange } from './change-feed';
import type { ServiceOwners } from './service-connection';

/**
 * While a wanted aggregate is followed nowhere (its owner moving), the group is read again after FIRST_RETRY_MS, then
 * twice as long each time up to LAST_RETRY_MS (half the directory's own period): a new owner is found soon after it
 * serves, and a service that is down costs one extra read a second, not a stream of them.
 */
const FIRST_RETRY_MS = 250;
const LAST_RETRY_MS = 1_000;

/** Hears each view pushed for an aggregate wanted here. */
export type ViewListener = (aggregateId: string, view: object) => void;

/**
 * One service's aggregates followed at their owners (DIRECT_COMMANDS=on), wired to its owners: follows move after each
 * read of the group, a closed link has the group read again at once, and the pushes of the aggregates followed here
 * reach `listener` (the owner links are shared by every service: each takes only the pushes of its own follows).
 */
export class FollowsAtOwners {
  private readonly follows: AggregateFollows;
  private bytes = 0;
  private retryMs = FIRST_RETRY_MS;
  private retry?: NodeJS.Timeout;

  /** `refollowed`: see AggregateFollows (a follow confirmed again after a move: views published in between were missed). */
  constructor(owners: ServiceOwners, log: (line: string) => void, listener: ViewListener, refollowed?: (aggregateId: string) => void) {
    const follows = new AggregateFollows(aggregateOwnersOver(owners, log), refollowed);
    this.follows = follows;
    owners.onRead(() => {
      follows.ownersRead();
      this.retrySoon(() => owners.refresh());
    });
    owners.listen({
      disconnected: (address) => {
        // An owner that went away left the group just before (planned stop) or will soon (crash): look for the next.
        if (follows.disconnected(address)) owners.refresh();
      },
      pushed: (address, body, frameChars) => {
        const change = readChange(body);
        if (!change || !follows.heardFrom(address, change.aggregateId)) return;
        this.bytes += frameChars;
        listener(change.aggregateId, change.view);
      },
    });
  }

  /** Characters of the frames that brought the views of aggregates followed here. */
  get viewBytes(): number {
    return this.bytes;
  }

  /** Aggregates wanted here, followed or not. */
  get wanted(): number {
    return this.follows.size;
  }

  /** Aggregates wanted here whose follow is not confirmed anywhere now. */
  get unfollowed(): number {
    return this.follows.unfollowed;
  }

  /** The first one here to want the aggregate's views. */
  want(aggregateId: string): void {
    this.follows.want(aggregateId);
  }

  /** The last one here that wanted the aggregate's views left. */
  drop(aggregateId: string): void {
    this.follows.drop(aggregateId);
  }

  /** After a read that left a wanted aggregate followed nowhere: the next read comes sooner than the periodic one. */
  private retrySoon(refresh: () => void): void {
    if (this.follows.unfollowed === 0) {
      this.retryMs = FIRST_RETRY_MS;
      return;
    }
    if (this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      refresh();
    }, this.retryMs).unref();
    this.retryMs = Math.min(2 * this.retryMs, LAST_RETRY_MS);
  }
}
