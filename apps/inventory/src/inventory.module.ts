import { DynamicModule, Module } from '@nestjs/common';
import { EngineConfig } from '@app/config';
import { inventoryDomain } from '@app/inventory';
import { EngineModule, PlatformModule } from '@app/platform';

/** Hosts the inventory partitions this process owns: the domain on the engine, nothing else. */
@Module({})
export class InventoryModule {
  static forRoot(config: EngineConfig): DynamicModule {
    return { module: InventoryModule, imports: [PlatformModule.forRoot(config), EngineModule.forDomain(inventoryDomain())] };
  }
}
