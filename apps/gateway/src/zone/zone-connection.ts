import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ZoneWorld } from '@app/zone';
import { FollowsAtOwners } from '../shared/follows-at-owners';
import { ServiceConnection } from '../shared/service-connection';
import { ZoneClient } from './zone-client';

/** How long a socket or admin request waits for the zone service before answering `unavailable`. */
export const ZONE_TIMEOUT_MS = 5_000;

type WorldListener = (zoneId: string, world: ZoneWorld) => void;

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
  private follows?: FollowsAtOwners;
  /** Bytes of zone worlds read from the changes topic (DIRECT_COMMANDS=off). */
  private topicBytes = 0;

  constructor(private readonly services: ServiceConnection) {}

  /** Bytes of zone worlds received so far (pushes' frames, or the changes topic's record values). */
  get viewBytes(): number {
    return this.topicBytes + (this.follows?.viewBytes ?? 0);
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
      this.topicBytes += bytes;
      this.deliver(zoneId, view);
    });
  }

  /** After the service connection started (an imported module's hooks run first): its owners are known then. */
  onApplicationBootstrap(): void {
    if (!this.services.directCommands || !this.listener) return;
    const owners = this.services.ownersOf('zone');
    // Modules' hooks run imported ones first; should that change, no zone would ever be followed: say so at start.
    if (!owners) throw new Error('ZoneConnection started before the ServiceConnection: the zone owners are not known yet');
    // A zone whose last viewer just left may still send a tick or two: those are not taken.
    this.follows = new FollowsAtOwners(
      owners,
      (line) => this.logger.warn(line),
      (zoneId, view) => this.deliver(zoneId, view),
    );
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

  private deliver(zoneId: string, view: object): void {
    if (Array.isArray((view as Partial<ZoneWorld>).entities)) this.listener?.(zoneId, view as ZoneWorld);
  }
}
