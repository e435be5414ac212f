import { engineEnvSchema, parseEnv, toEngineConfig } from '@app/config';
import { startApp } from '@app/platform';
import { InventoryModule } from './inventory.module';

void startApp(
  'inventory',
  () => toEngineConfig('inventory', parseEnv(engineEnvSchema, process.env)),
  (config) => InventoryModule.forRoot(config),
);
