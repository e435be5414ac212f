import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@app/config';
import { dataSourceOptions } from '@app/postgres';
import { APP_CONFIG } from './app-config.token';
import { HealthController } from './health.controller';
import { KafkaHealthIndicator } from './kafka-health.indicator';
import { Readiness } from './readiness';

/** What every app shares: its validated config, the database connection and the health endpoints (and what withdraws readiness). */
@Module({})
export class PlatformModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: PlatformModule,
      global: true,
      imports: [
        TerminusModule.forRoot({ logger: false }),
        TypeOrmModule.forRoot({ ...dataSourceOptions(config.database.url), retryAttempts: 5, retryDelay: 2000 }),
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_CONFIG, useValue: config }, KafkaHealthIndicator, Readiness],
      exports: [APP_CONFIG, Readiness],
    };
  }
}
