import { DynamicModule, Module } from '@nestjs/common';
import { AnalyticsConfig } from '@app/config';
import { PlatformModule } from '@app/platform';
import { EventsProjection } from './events-projection.service';

/** Projects the events topics, exactly once, into the analytics read models in PostgreSQL (docs/analytics.md). */
@Module({})
export class AnalyticsModule {
  static forRoot(config: AnalyticsConfig): DynamicModule {
    return { module: AnalyticsModule, imports: [PlatformModule.forRoot(config)], providers: [EventsProjection] };
  }
}
