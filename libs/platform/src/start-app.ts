import 'reflect-metadata';
import { DynamicModule, INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, ConfigError } from '@app/config';
import { logUnhandledRejections } from './unhandled-rejections';

/**
 * Validates the configuration once, then boots the app; a bad environment ends
 * the process with exit code 1 and a message naming every bad variable. `configure` runs before it listens.
 */
export async function startApp<C extends AppConfig>(
  loadConfig: () => C,
  appModule: (config: C) => DynamicModule,
  configure: (app: INestApplication) => void = () => undefined,
): Promise<void> {
  let config: C;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const app = await NestFactory.create(appModule(config));
  configure(app);
  const logger = new Logger(config.service);
  logUnhandledRejections(logger);
  // Our own handler rather than enableShutdownHooks: a planned stop that drained cleanly exits 0.
  const stop = async (signal: NodeJS.Signals) => {
    logger.log(`${signal}: stopping`);
    try {
      await app.close();
      process.exit(0);
    } catch (error) {
      logger.error(`stop failed: ${error instanceof Error ? error.stack : error}`);
      process.exit(1);
    }
  };
  const onSignal = (signal: NodeJS.Signals) => void stop(signal);
  process.once('SIGTERM', onSignal).once('SIGINT', onSignal);
  await app.listen(config.http.port, '0.0.0.0');
  logger.log(`${config.instanceId} listening on port ${config.http.port}`);
}
