import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module';
import { AdminInventory } from './admin-inventory.service';
import { AdminPlayersController } from './admin-players.controller';
import { AdminTokenGuard } from './admin-token.guard';

@Module({ imports: [InventoryModule], controllers: [AdminPlayersController], providers: [AdminInventory, AdminTokenGuard] })
export class AdminModule {}
