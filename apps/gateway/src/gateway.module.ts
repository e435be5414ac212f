import { DynamicModule, Module } from '@nestjs/common';
import { GatewayConfig } from '@app/config';
import { PlatformModule } from '@app/platform';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return { module: GatewayModule, imports: [PlatformModule.forRoot(config)] };
  }
}
