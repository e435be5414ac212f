import { analyticsEnvSchema, parseEnv, toAnalyticsConfig } from '@app/config';
import { startApp } from '@app/platform';
import { AnalyticsModule } from './analytics.module';

void startApp(
  'analytics',
  () => toAnalyticsConfig(parseEnv(analyticsEnvSchema, process.env)),
  (config) => AnalyticsModule.forRoot(config),
);
