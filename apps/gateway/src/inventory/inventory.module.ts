import { Injectable, Module } from '@nestjs/common';
import { InventoryView } from '@app/inventory';
import { ServiceConnection, ServicesModule } from '../shared/service-connection';
import { InventoryClient } from './inventory-client';

/** How long a socket or admin request waits for the inventory service before answering `unavailable`. */
export const INVENTORY_TIMEOUT_MS = 5_000;

/** Who hears about a changed inventory: the realtime gateway pushes it to the player's sockets. */
export abstract class InventoryChangeListener {
  abstract changed(playerId: string, inventory: InventoryView): void;
}

/** The gateway's way to the inventory service: its commands and its changes. */
@Injectable()
export class InventoryConnection {
  constructor(private readonly services: ServiceConnection) {}

  listen(listener: InventoryChangeListener): void {
    this.services.follow('inventory', (playerId, view) => listener.changed(playerId, view as InventoryView));
  }

  client(): InventoryClient {
    return new InventoryClient(this.services.router('inventory'), INVENTORY_TIMEOUT_MS);
  }
}

@Module({ imports: [ServicesModule], providers: [InventoryConnection], exports: [InventoryConnection] })
export class InventoryModule {}
