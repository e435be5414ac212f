import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { PlatformModule } from '@app/platform';

@Module({})
export class InventoryModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: InventoryModule, imports: [PlatformModule.forRoot(config)] };
  }
}
