import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventsProjector, ProjectionStore } from '@app/analytics';
import { AnalyticsConfig } from '@app/config';
import { APP_CONFIG, createAppKafka } from '@app/platform';

/** Runs the projection of the events topics into the read models for as long as the app runs. */
@Injectable()
export class EventsProjection implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly projector: EventsProjector;

  constructor(@Inject(APP_CONFIG) config: AnalyticsConfig, dataSource: DataSource) {
    this.projector = new EventsProjector({
      kafka: createAppKafka(config.kafka),
      store: new ProjectionStore(dataSource),
      topicPrefix: config.kafka.topicPrefix,
      sessionTimeoutMs: config.analytics.sessionTimeoutMs,
      partitionsAtOnce: config.analytics.partitionsAtOnce,
      log: new Logger('projection'),
    });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.projector.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.projector.stop();
  }
}
