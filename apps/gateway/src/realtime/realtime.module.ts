import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { InventoryModule } from '../inventory/inventory.module';
import { ZoneModule } from '../zone/zone.module';
import { PlayerGateway } from './player.gateway';
import { SocketLimits } from './socket-limits';
import { ZoneGateway } from './zone.gateway';

@Module({ imports: [AuthModule, InventoryModule, ZoneModule], providers: [SocketLimits, PlayerGateway, ZoneGateway] })
export class RealtimeModule {}
