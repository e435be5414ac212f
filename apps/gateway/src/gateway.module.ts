import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GatewayConfig } from '@app/config';
import { PlatformModule } from '@app/platform';
import { AnalyticsApiModule } from './analytics/analytics-api.module';
import { AuthModule } from './auth/auth.module';
import { ClusterModule } from './cluster/cluster.module';
import { InventoryApiModule } from './inventory/inventory-api.module';
import { BodyLimit } from './shared/http/body-limit';
import { InvalidPayloadFilter } from './shared/http/invalid-payload.filter';
import { RequestStagesModule } from './shared/request-stages';
import { ZoneModule } from './zone/zone.module';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [PlatformModule.forRoot(config), RequestStagesModule, AuthModule, InventoryApiModule, ZoneModule, AnalyticsApiModule, ClusterModule],
      providers: [BodyLimit, { provide: APP_FILTER, useClass: InvalidPayloadFilter }],
    };
  }
}
