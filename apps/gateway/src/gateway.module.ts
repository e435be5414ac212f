import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GatewayConfig } from '@app/config';
import { PlatformModule } from '@app/platform';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { BodyLimit } from './http/body-limit';
import { InvalidPayloadFilter } from './http/invalid-payload.filter';
import { RealtimeModule } from './realtime/realtime.module';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [PlatformModule.forRoot(config), AuthModule, RealtimeModule, AdminModule],
      providers: [BodyLimit, { provide: APP_FILTER, useClass: InvalidPayloadFilter }],
    };
  }
}
