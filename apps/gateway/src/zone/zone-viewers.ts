import { Injectable } from '@nestjs/common';
import { zoneOf, ZoneTick, ZoneWorld } from '@app/zone';
import { IndexedWorld, ZoneViewer } from './zone-viewer';

/** What the registry needs of a socket: whether it is still there. */
export interface ZoneWatcher {
  readonly connected: boolean;
}

/** Told when a zone gets its first viewer on this gateway, and when its last one leaves. */
export interface ZonesWatched {
  first(zoneId: string): void;
  last(zoneId: string): void;
}

/**
 * Every viewer on this gateway, by zone and by socket, and the joins still waiting for the zone service. A viewer
 * costs memory and work at every tick of its zone, so one exists only for a socket that is connected: a join that
 * ends after its socket went away leaves none behind (its player stays in the zone, as after any disconnect, and
 * times out there). Counts are exposed as metrics (`gateway_zone_viewers`, `gateway_zone_joins_in_flight`, `gateway_sockets`).
 */
@Injectable()
export class ZoneViewers<S extends ZoneWatcher = ZoneWatcher> {
  private readonly byZone = new Map<string, Map<S, ZoneViewer>>();
  private readonly zoneOfSocket = new Map<S, string>();
  private pendingJoins = 0;
  private connectedSockets = 0;
  private zonesWatched?: ZonesWatched;

  /** The one listener of zones gaining their first viewer here and losing their last one (who follows their views). */
  onZones(listener: ZonesWatched): void {
    this.zonesWatched = listener;
  }

  /** Viewers on this gateway, every zone together. */
  get size(): number {
    return this.zoneOfSocket.size;
  }

  /** Sockets connected to this gateway, in a zone or not. */
  get sockets(): number {
    return this.connectedSockets;
  }

  /** Joins started and not yet answered. */
  get joinsInFlight(): number {
    return this.pendingJoins;
  }

  zoneOf(socket: S): string | undefined {
    return this.zoneOfSocket.get(socket);
  }

  connected(): void {
    this.connectedSockets++;
  }

  /** A socket gone: its viewer goes with it, and a join still in flight for it will watch nothing (see `watch`). */
  disconnected(socket: S): void {
    this.connectedSockets--;
    this.unwatch(socket);
  }

  /** Runs a join, counted while it is in flight. */
  async joining<T>(join: () => Promise<T>): Promise<T> {
    this.pendingJoins++;
    try {
      return await join();
    } finally {
      this.pendingJoins--;
    }
  }

  /**
   * Makes `viewer` the socket's only one, unless the socket is gone: a join answered after its socket
   * disconnected would leave a viewer that no disconnect removes any more. Says whether it watches.
   */
  watch(socket: S, viewer: ZoneViewer): boolean {
    // A socket joining the zone it is in again keeps the zone watched throughout: its follow is not dropped and made again.
    const left = this.remove(socket);
    const watches = socket.connected;
    if (watches) {
      this.zoneOfSocket.set(socket, viewer.zoneId);
      let watching = this.byZone.get(viewer.zoneId);
      if (!watching) {
        watching = new Map<S, ZoneViewer>();
        this.byZone.set(viewer.zoneId, watching);
        if (viewer.zoneId !== left) this.zonesWatched?.first(viewer.zoneId);
      }
      watching.set(socket, viewer);
    }
    if (left !== undefined && !this.byZone.has(left)) this.zonesWatched?.last(left);
    return watches;
  }

  unwatch(socket: S): void {
    const left = this.remove(socket);
    if (left !== undefined && !this.byZone.has(left)) this.zonesWatched?.last(left);
  }

  /** Takes the socket's viewer away (telling nobody); returns the zone it watched. */
  private remove(socket: S): string | undefined {
    const zoneId = this.zoneOfSocket.get(socket);
    if (!zoneId) return undefined;
    this.zoneOfSocket.delete(socket);
    const watching = this.byZone.get(zoneId);
    watching?.delete(socket);
    if (watching?.size === 0) this.byZone.delete(zoneId);
    return zoneId;
  }

  /** Hands each viewer of the zone its delta of `world` (nothing for one that has seen it already). */
  published(zoneId: string, world: ZoneWorld, send: (socket: S, delta: ZoneTick) => void): void {
    const watching = this.byZone.get(zoneId);
    const definition = zoneOf(zoneId);
    if (!watching || !definition) return;
    const indexed = new IndexedWorld(world, definition.interestCell);
    for (const [socket, viewer] of watching) {
      const delta = viewer.next(indexed);
      if (delta) send(socket, delta);
    }
  }
}
