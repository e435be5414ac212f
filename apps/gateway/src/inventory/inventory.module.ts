import { Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { InventoryView } from '@app/inventory';
import { FollowsAtOwners } from '../shared/follows-at-owners';
import { ServiceConnection, ServicesModule } from '../shared/service-connection';
import { InventoryClient } from './inventory-client';

/** How long a socket or admin request waits for the inventory service before answering `unavailable`. */
export const INVENTORY_TIMEOUT_MS = 5_000;

/** Who hears about a changed inventory: the realtime gateway pushes it to the player's sockets. */
export abstract class InventoryChangeListener {
  abstract changed(playerId: string, inventory: InventoryView): void;
}

/**
 * The gateway's way to the inventory service: its commands and its changes. With commands sent straight to owners
 * (the default), the inventory of each player with a socket here is followed on its owner, which pushes each of its
 * views over the owner link: a gateway reads only its own players' changes. Otherwise (DIRECT_COMMANDS=off) every
 * change of every inventory comes from the changes topic.
 */
@Injectable()
export class InventoryConnection implements OnApplicationBootstrap {
  private readonly logger = new Logger('InventoryConnection');
  private listener?: InventoryChangeListener;
  private follows?: FollowsAtOwners;
  /** Sockets connected here per player: a player may have several, and one may come back before the other left. */
  private readonly sockets = new Map<string, number>();
  /** The last version pushed here per followed player: a view read after a move may come after a newer push. */
  private readonly versions = new Map<string, number>();

  constructor(private readonly services: ServiceConnection) {}

  /** Players whose inventory is followed here (wanted, whether the owner confirmed it yet or not); 0 without following. */
  get followedPlayers(): number {
    return this.follows?.wanted ?? 0;
  }

  /** Players with a socket here whose follow is not confirmed anywhere now. */
  get unfollowedPlayers(): number {
    return this.follows?.unfollowed ?? 0;
  }

  /** Register before start-up: the changes from then on (of the players connected here, when following owners). */
  listen(listener: InventoryChangeListener): void {
    this.listener = listener;
    if (this.services.directCommands) return;
    this.services.follow('inventory', (playerId, view) => listener.changed(playerId, view as InventoryView));
  }

  /** After the service connection started (an imported module's hooks run first): its owners are known then. */
  onApplicationBootstrap(): void {
    if (!this.services.directCommands) return;
    const owners = this.services.ownersOf('inventory');
    if (!owners) throw new Error('InventoryConnection started before the ServiceConnection: the inventory owners are not known yet');
    this.follows = new FollowsAtOwners(
      owners,
      (line) => this.logger.warn(line),
      (playerId, view) => this.pushed(playerId, view as InventoryView),
      (playerId) => void this.resync(playerId),
    );
  }

  /** A followed player's inventory as its owner pushed it (in the order the owner counted them). */
  private pushed(playerId: string, view: InventoryView): void {
    if (!this.sockets.has(playerId)) return;
    this.versions.set(playerId, view.version);
    this.listener?.changed(playerId, view);
  }

  /** The follow moved to a new owner: a change made during the move was pushed to nobody, so the inventory is read. */
  private async resync(playerId: string): Promise<void> {
    const reply = await this.client()
      .get(playerId)
      .catch((error: unknown) => ({ ok: false as const, error: { message: error instanceof Error ? error.message : String(error) } }));
    // Its answer may come after a newer push (through the topics, say): then it tells the player nothing new.
    if (reply.ok && reply.inventory.version > (this.versions.get(playerId) ?? 0)) this.pushed(playerId, reply.inventory);
    else if (!reply.ok) this.logger.warn(`reading ${playerId}'s inventory after its follow moved: ${JSON.stringify(reply.error)}`);
  }

  /** A socket of the player connected here: its first one has the player's inventory followed. */
  connected(playerId: string): void {
    const count = this.sockets.get(playerId) ?? 0;
    this.sockets.set(playerId, count + 1);
    if (count === 0) this.follows?.want(playerId);
  }

  /** A socket of the player disconnected: after its last one, the inventory is not followed here any more. */
  disconnected(playerId: string): void {
    const count = this.sockets.get(playerId);
    if (count === undefined) return;
    if (count > 1) {
      this.sockets.set(playerId, count - 1);
      return;
    }
    this.sockets.delete(playerId);
    this.versions.delete(playerId);
    this.follows?.drop(playerId);
  }

  client(): InventoryClient {
    return new InventoryClient(this.services.router('inventory'), INVENTORY_TIMEOUT_MS);
  }
}

@Module({ imports: [ServicesModule], providers: [InventoryConnection], exports: [InventoryConnection] })
export class InventoryModule {}
