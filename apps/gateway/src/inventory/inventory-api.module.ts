import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AdminTokenGuard } from '../shared/admin/admin-token.guard';
import { SocketsModule } from '../shared/sockets/sockets.module';
import { AdminInventory } from './admin-inventory.service';
import { AdminPlayersController } from './admin-players.controller';
import { InventoryGateway } from './inventory.gateway';
import { InventoryModule } from './inventory.module';
import { PlayerInventory } from './player-inventory.service';

/**
 * The inventory's adapters: socket events and admin routes. Apart from InventoryModule (the connection) because
 * logging in registers an inventory (AuthModule needs the connection) and sockets need AuthModule's tokens.
 */
@Module({
  imports: [InventoryModule, AuthModule, SocketsModule],
  controllers: [AdminPlayersController],
  providers: [InventoryGateway, PlayerInventory, AdminInventory, AdminTokenGuard],
})
export class InventoryApiModule {}
