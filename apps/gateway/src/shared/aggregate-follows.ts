/** How the follows reach a service's owners: the group's map and the links to them (see `aggregateOwnersOver`). */
export interface AggregateOwners {
  /** Where the owner of the aggregate's partition is reached, as of the last read of the group; undefined when unknown. */
  ownerOf(aggregateId: string): string | undefined;
  /** Follows the aggregate at `address`: true once followed there; false when not (not owned there, unreachable, failed). Never rejects. */
  follow(address: string, aggregateId: string): Promise<boolean>;
  /** Stops following at `address`, if a connection is open there (a closed one took its follows with it). Best effort. */
  unfollow(address: string, aggregateId: string): void;
}

/**
 * One aggregate's follow: whether this gateway wants its views (someone here), where the owner confirmed the follow
 * (`at`), and where a follow is being asked (`asking`: at most one at a time, so answers never cross).
 */
interface AggregateFollow {
  wanted: boolean;
  at?: string;
  asking?: string;
  /** Confirmed somewhere before, since it was last wanted: a later confirmation is a move (views may have been missed). */
  confirmed?: boolean;
}

/**
 * Which aggregates this gateway follows on their owners (zones with a viewer here, inventories of players connected
 * here): an aggregate is followed while someone here wants it, on whichever process owns its partition now. Every read of the group checks each follow against the map (a new owner: follow
 * there and unfollow at the old one; no owner known, or the last attempt failed: try again); a closed link drops the
 * follows it carried and follows again at once. Views of an aggregate nobody here wants are not asked for.
 */
export class AggregateFollows {
  private readonly aggregates = new Map<string, AggregateFollow>();

  /**
   * `refollowed` hears of each follow confirmed again after it had been confirmed elsewhere (an owner moved or a link
   * closed): views published in between reached nobody here.
   */
  constructor(
    private readonly owners: AggregateOwners,
    private readonly refollowed?: (aggregateId: string) => void,
  ) {}

  /** Whether someone here wants the aggregate's views. */
  wants(aggregateId: string): boolean {
    return this.aggregates.get(aggregateId)?.wanted === true;
  }

  /** Where the aggregate's follow is confirmed now, if anywhere. */
  followedAt(aggregateId: string): string | undefined {
    return this.aggregates.get(aggregateId)?.at;
  }

  /**
   * Whether a push of the aggregate's view from `address` is one of these follows: wanted, and followed or being
   * followed there (its first push may come before the answer to the follow is read). Pushes of other services'
   * aggregates, and late ones of aggregates no longer wanted, are not.
   */
  heardFrom(address: string, aggregateId: string): boolean {
    const follow = this.aggregates.get(aggregateId);
    return follow !== undefined && follow.wanted && (follow.at === address || follow.asking === address);
  }

  /** Aggregates wanted here, followed or not. */
  get size(): number {
    let wanted = 0;
    for (const follow of this.aggregates.values()) if (follow.wanted) wanted += 1;
    return wanted;
  }

  /** Aggregates wanted and not followed anywhere now (no owner known, being asked, or failed and waiting for the next read). */
  get unfollowed(): number {
    return [...this.aggregates.values()].filter((follow) => follow.wanted && follow.at === undefined).length;
  }

  /** The first one here to want the aggregate's views. */
  want(aggregateId: string): void {
    const follow = this.aggregates.get(aggregateId) ?? { wanted: true };
    follow.wanted = true;
    this.aggregates.set(aggregateId, follow);
    this.check(aggregateId, follow);
  }

  /** The last one here that wanted the aggregate's views left. */
  drop(aggregateId: string): void {
    const follow = this.aggregates.get(aggregateId);
    if (!follow) return;
    follow.wanted = false;
    this.check(aggregateId, follow);
  }

  /** The group was read again: follows move to the owners it names now; failed ones are tried again. */
  ownersRead(): void {
    for (const [aggregateId, follow] of this.aggregates) this.check(aggregateId, follow);
  }

  /** The link to `address` closed: whatever was followed there is not any more. Says whether something was. */
  disconnected(address: string): boolean {
    let lost = false;
    for (const [aggregateId, follow] of this.aggregates) {
      if (follow.at !== address) continue;
      lost = true;
      follow.at = undefined;
      this.check(aggregateId, follow);
    }
    return lost;
  }

  /** Brings one follow in line with what is wanted and who owns the aggregate now. */
  private check(aggregateId: string, follow: AggregateFollow): void {
    // The answer in flight checks again: one request at a time, so an unfollow never overtakes its follow.
    if (follow.asking !== undefined) return;
    const owner = follow.wanted ? this.owners.ownerOf(aggregateId) : undefined;
    if (follow.at !== undefined && follow.at !== owner) {
      this.owners.unfollow(follow.at, aggregateId);
      follow.at = undefined;
    }
    if (!follow.wanted) {
      this.aggregates.delete(aggregateId);
      return;
    }
    // No owner known: the next read of the group tries again.
    if (follow.at !== undefined || owner === undefined) return;
    // Kept in the map while asking (only `check` forgets a follow, never while asking), so the answer finds it there.
    follow.asking = owner;
    void this.owners.follow(owner, aggregateId).then((followed) => {
      follow.asking = undefined;
      const again = followed && follow.confirmed === true;
      if (followed) {
        follow.at = owner;
        follow.confirmed = true;
      }
      // A failed follow is tried again at the next read; a confirmed one (or one no longer wanted) is checked now
      // against what changed while it was asked.
      if (followed || !follow.wanted) this.check(aggregateId, follow);
      if (again && follow.wanted && follow.at === owner) this.refollowed?.(aggregateId);
    });
  }
}

/** The follow requests as owners take them (`libs/platform` DirectCommandServer): `{ ok: true }` when followed. */
const FOLLOW_TIMEOUT_MS = 3_000;

/** What `AggregateOwners` needs of the gateway's owner links (ServiceConnection.ownersOf). */
export interface OwnerLinksOfService {
  ownerOf(aggregateId: string): string | undefined;
  linkTo(address: string): { connected: boolean; request(body: unknown, timeoutMs: number): Promise<unknown> } | undefined;
  failed(address: string, error: unknown): void;
}

/** AggregateOwners over the gateway's owner links; `log` hears refusals that are not a move (a bug on one side). */
export function aggregateOwnersOver(links: OwnerLinksOfService, log: (line: string) => void): AggregateOwners {
  return {
    ownerOf: (aggregateId) => links.ownerOf(aggregateId),
    async follow(address, aggregateId) {
      const link = links.linkTo(address);
      if (!link) return false;
      try {
        const answer = (await link.request({ follow: aggregateId }, FOLLOW_TIMEOUT_MS)) as { ok?: unknown; resend?: unknown; error?: unknown } | null;
        if (answer?.ok === true) return true;
        if (answer?.resend !== true) log(`following ${aggregateId} at ${address} was refused: ${JSON.stringify(answer)}`);
        return false;
      } catch (error) {
        links.failed(address, error);
        return false;
      }
    },
    unfollow(address, aggregateId) {
      const link = links.linkTo(address);
      if (link?.connected) link.request({ unfollow: aggregateId }, FOLLOW_TIMEOUT_MS).catch(() => undefined);
    },
  };
}
