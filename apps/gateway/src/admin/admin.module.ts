import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module';
import { AdminInventory } from './admin-inventory.service';
import { AdminPlayersController } from './admin-players.controller';
import { AdminTokenGuard } from './admin-token.guard';
import { AdminZonesController } from './admin-zones.controller';
import { ZoneModule } from '../zone/zone.module';

@Module({ imports: [InventoryModule, ZoneModule], controllers: [AdminPlayersController, AdminZonesController], providers: [AdminInventory, AdminTokenGuard] })
export class AdminModule {}
