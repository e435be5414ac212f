import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { PlatformModule } from '@app/platform';

@Module({})
export class ZoneModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ZoneModule, imports: [PlatformModule.forRoot(config)] };
  }
}
