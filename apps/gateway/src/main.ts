import { Logger } from '@nestjs/common';
import { DEV_ADMIN_TOKEN, gatewayEnvSchema, parseEnv, toGatewayConfig } from '@app/config';
import { startApp } from '@app/platform';
import { serveAdminDocs } from './admin-docs';
import { GatewayModule } from './gateway.module';
import { serveWebPages } from './web/serve-web-pages';

void startApp(
  'gateway',
  () => {
    const config = toGatewayConfig(parseEnv(gatewayEnvSchema, process.env));
    if (config.auth.usingDevSecrets) {
      // The dev admin token is public and printed for convenience; one that was set is never logged.
      const admin = config.auth.adminToken === DEV_ADMIN_TOKEN ? `admin token: ${DEV_ADMIN_TOKEN}` : 'ADMIN_TOKEN is set';
      new Logger('gateway').warn(`development secrets in use (set ADMIN_TOKEN, JWT_SECRET and PLAYER_ID_SECRET); ${admin}`);
    }
    return config;
  },
  (config) => GatewayModule.forRoot(config),
  (app) => {
    serveAdminDocs(app);
    serveWebPages(app);
  },
);
