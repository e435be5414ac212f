import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ZoneWorld } from '@app/zone';
import { ServiceConnection } from '../shared/service-connection';
import { ZoneClient } from './zone-client';
import { ZoneFollows, zoneOwnersOver } from './zone-follows';

/** How long a socket or admin request waits for the zone service before answering `unavailable`. */
export const ZONE_TIMEOUT_MS = 5_000;

type WorldListener = (zoneId: string, world: ZoneWorld) => void;

/**
 * While a viewed zone is followed nowhere (its owner moving), the group is read again after FIRST_RETRY_MS, then twice
 * as long each time up to LAST_RETRY_MS (half the directory's own period): a new owner is found soon after it serves,
 * and a zone service that is down costs one extra read a second, not a stream of them.
 */
const FIRST_RETRY_MS = 250;
const LAST_RETRY_MS = 1_000;

/**
 * The gateway's way to the zone service: its commands, and the worlds of the zones its players are in. With commands
 * sent straight to owners (the default), each zone with a viewer here is followed on its owner, which pushes every
 * tick's world over the owner link: a gateway reads only the zones its players are in. Otherwise (DIRECT_COMMANDS=off)
 * every world of every zone comes from the changes topic.
 */
@Injectable()
export class ZoneConnection implements OnApplicationBootstrap {
  private readonly logger = new Logger('ZoneConnection');
  private listener?: WorldListener;
  private follows?: ZoneFollows;
  private bytes = 0;
  private retryMs = FIRST_RETRY_MS;
  private retry?: NodeJS.Timeout;

  constructor(private readonly services: ServiceConnection) {}

  /** Bytes of zone worlds received so far (pushes' frames, or the changes topic's record values). */
  get viewBytes(): number {
    return this.bytes;
  }

  /** Zones with a viewer here whose follow is not confirmed anywhere now (0 when following the changes topic). */
  get unfollowedZones(): number {
    return this.follows?.unfollowed ?? 0;
  }

  /** Register before start-up: the worlds published from then on (of the zones with viewers here, when following owners). */
  listen(listener: WorldListener): void {
    this.listener = listener;
    if (this.services.directCommands) return;
    this.services.follow('zone', (zoneId, view, bytes) => {
      this.bytes += bytes;
      this.deliver(zoneId, view);
    });
  }

  /** After the service connection started (an imported module's hooks run first): its owners are known then. */
  onApplicationBootstrap(): void {
    if (!this.services.directCommands || !this.listener) return;
    const owners = this.services.ownersOf('zone');
    // Modules' hooks run imported ones first; should that change, no zone would ever be followed: say so at start.
    if (!owners) throw new Error('ZoneConnection started before the ServiceConnection: the zone owners are not known yet');
    const follows = new ZoneFollows(zoneOwnersOver(owners, (line) => this.logger.warn(line)));
    this.follows = follows;
    owners.onRead(() => {
      follows.ownersRead();
      this.retrySoon(follows, () => owners.refresh());
    });
    owners.listen({
      disconnected: (address) => {
        // An owner that went away left the group just before (planned stop) or will soon (crash): look for the next.
        if (follows.disconnected(address)) owners.refresh();
      },
      pushed: (_address, body, frameChars) => {
        // Only zone owners push (nobody follows anything elsewhere): every push counts as zone traffic.
        this.bytes += frameChars;
        const change = body as { aggregateId?: unknown; view?: unknown } | null;
        if (typeof change?.aggregateId !== 'string' || typeof change.view !== 'object' || change.view === null) return;
        // A zone whose last viewer just left may still send a tick or two.
        if (follows.wants(change.aggregateId)) this.deliver(change.aggregateId, change.view);
      },
    });
  }

  /** The first viewer of the zone on this gateway: its worlds are wanted from now on. */
  viewed(zoneId: string): void {
    this.follows?.want(zoneId);
  }

  /** The last viewer of the zone on this gateway left. */
  unviewed(zoneId: string): void {
    this.follows?.drop(zoneId);
  }

  client(): ZoneClient {
    return new ZoneClient(this.services.router('zone'), ZONE_TIMEOUT_MS);
  }

  /** After a read that left a viewed zone followed nowhere: the next read comes sooner than the periodic one. */
  private retrySoon(follows: ZoneFollows, refresh: () => void): void {
    if (follows.unfollowed === 0) {
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

  private deliver(zoneId: string, view: object): void {
    if (Array.isArray((view as Partial<ZoneWorld>).entities)) this.listener?.(zoneId, view as ZoneWorld);
  }
}
