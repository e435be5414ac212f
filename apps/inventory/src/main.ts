import { commonEnvSchema, parseEnv, toAppConfig } from '@app/config';
import { startApp } from '@app/platform';
import { InventoryModule } from './inventory.module';

void startApp(
  () => toAppConfig('inventory', parseEnv(commonEnvSchema, process.env)),
  (config) => InventoryModule.forRoot(config),
);
