import { Logger } from '@nestjs/common';
import { gatewayEnvSchema, parseEnv, toGatewayConfig } from '@app/config';
import { startApp } from '@app/platform';
import { serveAdminDocs } from './admin/admin-docs';
import { GatewayModule } from './gateway.module';

void startApp(
  () => {
    const config = toGatewayConfig(parseEnv(gatewayEnvSchema, process.env));
    if (config.auth.usingDevSecrets) {
      new Logger('gateway').warn(`development secrets in use; admin token: ${config.auth.adminToken}`);
    }
    return config;
  },
  (config) => GatewayModule.forRoot(config),
  serveAdminDocs,
);
