/** How the follows reach zone owners: the group's map and the links to them (see `zoneOwnersOver`). */
export interface ZoneOwners {
  /** Where the owner of the zone's partition is reached, as of the last read of the group; undefined when unknown. */
  ownerOf(zoneId: string): string | undefined;
  /** Follows the zone at `address`: true once followed there; false when not (not owned there, unreachable, failed). Never rejects. */
  follow(address: string, zoneId: string): Promise<boolean>;
  /** Stops following at `address`, if a connection is open there (a closed one took its follows with it). Best effort. */
  unfollow(address: string, zoneId: string): void;
}

/**
 * One zone's follow: whether this gateway wants its views (some viewer here), where the owner confirmed the follow
 * (`at`), and where a follow is being asked (`asking`: at most one at a time, so answers never cross).
 */
interface ZoneFollow {
  wanted: boolean;
  at?: string;
  asking?: string;
}

/**
 * Which zones this gateway follows on their owners: a zone is followed while it has a viewer here, on whichever
 * process owns its partition now. Every read of the group checks each follow against the map (a new owner: follow
 * there and unfollow at the old one; no owner known, or the last attempt failed: try again); a closed link drops the
 * follows it carried and follows again at once. Views of a zone nobody here wants are not asked for.
 */
export class ZoneFollows {
  private readonly zones = new Map<string, ZoneFollow>();

  constructor(private readonly owners: ZoneOwners) {}

  /** Whether some viewer here wants the zone's views. */
  wants(zoneId: string): boolean {
    return this.zones.get(zoneId)?.wanted === true;
  }

  /** Where the zone's follow is confirmed now, if anywhere. */
  followedAt(zoneId: string): string | undefined {
    return this.zones.get(zoneId)?.at;
  }

  /** Zones wanted and not followed anywhere now (no owner known, being asked, or failed and waiting for the next read). */
  get unfollowed(): number {
    return [...this.zones.values()].filter((follow) => follow.wanted && follow.at === undefined).length;
  }

  /** The first viewer of the zone on this gateway. */
  want(zoneId: string): void {
    const follow = this.zones.get(zoneId) ?? { wanted: true };
    follow.wanted = true;
    this.zones.set(zoneId, follow);
    this.check(zoneId, follow);
  }

  /** The last viewer of the zone on this gateway left. */
  drop(zoneId: string): void {
    const follow = this.zones.get(zoneId);
    if (!follow) return;
    follow.wanted = false;
    this.check(zoneId, follow);
  }

  /** The group was read again: follows move to the owners it names now; failed ones are tried again. */
  ownersRead(): void {
    for (const [zoneId, follow] of this.zones) this.check(zoneId, follow);
  }

  /** The link to `address` closed: whatever was followed there is not any more. Says whether something was. */
  disconnected(address: string): boolean {
    let lost = false;
    for (const [zoneId, follow] of this.zones) {
      if (follow.at !== address) continue;
      lost = true;
      follow.at = undefined;
      this.check(zoneId, follow);
    }
    return lost;
  }

  /** Brings one follow in line with what is wanted and who owns the zone now. */
  private check(zoneId: string, follow: ZoneFollow): void {
    // The answer in flight checks again: one request at a time, so an unfollow never overtakes its follow.
    if (follow.asking !== undefined) return;
    const owner = follow.wanted ? this.owners.ownerOf(zoneId) : undefined;
    if (follow.at !== undefined && follow.at !== owner) {
      this.owners.unfollow(follow.at, zoneId);
      follow.at = undefined;
    }
    if (!follow.wanted) {
      this.zones.delete(zoneId);
      return;
    }
    // No owner known: the next read of the group tries again.
    if (follow.at !== undefined || owner === undefined) return;
    // Kept in the map while asking (only `check` forgets a follow, never while asking), so the answer finds it there.
    follow.asking = owner;
    void this.owners.follow(owner, zoneId).then((followed) => {
      follow.asking = undefined;
      if (followed) follow.at = owner;
      // A failed follow is tried again at the next read; a confirmed one (or one no longer wanted) is checked now
      // against what changed while it was asked.
      if (followed || !follow.wanted) this.check(zoneId, follow);
    });
  }
}

/** The follow requests as owners take them (`libs/platform` DirectCommandServer): `{ ok: true }` when followed. */
const FOLLOW_TIMEOUT_MS = 3_000;

/** What `ZoneOwners` needs of the gateway's owner links (ServiceConnection.ownersOf). */
export interface OwnerLinksOfService {
  ownerOf(aggregateId: string): string | undefined;
  linkTo(address: string): { connected: boolean; request(body: unknown, timeoutMs: number): Promise<unknown> } | undefined;
  failed(address: string, error: unknown): void;
}

/** ZoneOwners over the gateway's owner links; `log` hears refusals that are not a move (a bug on one side). */
export function zoneOwnersOver(links: OwnerLinksOfService, log: (line: string) => void): ZoneOwners {
  return {
    ownerOf: (zoneId) => links.ownerOf(zoneId),
    async follow(address, zoneId) {
      const link = links.linkTo(address);
      if (!link) return false;
      try {
        const answer = (await link.request({ follow: zoneId }, FOLLOW_TIMEOUT_MS)) as { ok?: unknown; resend?: unknown; error?: unknown } | null;
        if (answer?.ok === true) return true;
        if (answer?.resend !== true) log(`following ${zoneId} at ${address} was refused: ${JSON.stringify(answer)}`);
        return false;
      } catch (error) {
        links.failed(address, error);
        return false;
      }
    },
    unfollow(address, zoneId) {
      const link = links.linkTo(address);
      if (link?.connected) link.request({ unfollow: zoneId }, FOLLOW_TIMEOUT_MS).catch(() => undefined);
    },
  };
}
