import { parseEnv, toZoneConfig, zoneEnvSchema } from '@app/config';
import { startApp } from '@app/platform';
import { ZoneModule } from './zone.module';

void startApp(
  'zone',
  () => toZoneConfig(parseEnv(zoneEnvSchema, process.env)),
  (config) => ZoneModule.forRoot(config),
);
