import { commonEnvSchema, parseEnv, toAppConfig } from '@app/config';
import { startApp } from '@app/platform';
import { ZoneModule } from './zone.module';

void startApp(
  () => toAppConfig('zone', parseEnv(commonEnvSchema, process.env)),
  (config) => ZoneModule.forRoot(config),
);
