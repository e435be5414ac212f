import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { InventoryModule } from '../inventory/inventory.module';
import { PlayerGateway } from './player.gateway';

@Module({ imports: [AuthModule, InventoryModule], providers: [PlayerGateway] })
export class RealtimeModule {}
