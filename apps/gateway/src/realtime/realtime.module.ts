import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { PlayerGateway } from './player.gateway';

@Module({ imports: [AuthModule], providers: [PlayerGateway] })
export class RealtimeModule {}
