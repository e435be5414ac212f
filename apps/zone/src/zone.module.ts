import { DynamicModule, Module } from '@nestjs/common';
import { ZoneConfig } from '@app/config';
import { EngineModule, PlatformModule } from '@app/platform';
import { zoneDomain } from '@app/zone';

/** Hosts the zone partitions this process owns: the zone domain on the engine, ticking on its clock. */
@Module({})
export class ZoneModule {
  static forRoot(config: ZoneConfig): DynamicModule {
    return {
      module: ZoneModule,
      imports: [PlatformModule.forRoot(config), EngineModule.forDomain(zoneDomain(config.zone.tickMs, config.zone.snapshotEveryTicks))],
    };
  }
}
