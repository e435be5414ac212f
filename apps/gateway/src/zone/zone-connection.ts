import { Injectable } from '@nestjs/common';
import { ZoneWorld } from '@app/zone';
import { ServiceConnection } from '../shared/service-connection';
import { ZoneClient } from './zone-client';

/** How long a socket or admin request waits for the zone service before answering `unavailable`. */
export const ZONE_TIMEOUT_MS = 5_000;

/** The gateway's way to the zone service: its commands, and the world of every zone at every tick. */
@Injectable()
export class ZoneConnection {
  constructor(private readonly services: ServiceConnection) {}

  /** Register before start-up: every world published from then on. */
  listen(listener: (zoneId: string, world: ZoneWorld) => void): void {
    this.services.follow('zone', (zoneId, view) => {
      if (Array.isArray((view as Partial<ZoneWorld>).entities)) listener(zoneId, view as ZoneWorld);
    });
  }

  client(): ZoneClient {
    return new ZoneClient(this.services.router('zone'), ZONE_TIMEOUT_MS);
  }
}
