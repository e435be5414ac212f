import 'reflect-metadata';
import { DynamicModule, INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, ConfigError, instanceId, instanceIdOf, logFormatBeforeConfig, ServiceName } from '@app/config';
import { AppLogger, LogSource } from './logging/app-logger';
import { logNodeOutput } from './logging/node-output';
import { logUnhandledRejections } from './unhandled-rejections';

/**
 * Validates the configuration once, then boots the app; a bad environment ends the process with exit code 1 and a
 * message naming every bad variable. Every line the app prints, from the first, goes through one logger in the
 * configured LOG_FORMAT. `configure` runs before it listens.
 */
export async function startApp<C extends AppConfig>(
  service: ServiceName,
  loadConfig: () => C,
  appModule: (config: C) => DynamicModule,
  configure: (app: INestApplication) => void = () => undefined,
): Promise<void> {
  // Lines logged while the configuration loads wait for the logger it chooses.
  Logger.attachBuffer();
  let config: C;
  try {
    config = loadConfig();
  } catch (error) {
    useLogger(new AppLogger(sourceBeforeConfig(service)));
    new Logger(service).error(error instanceof ConfigError ? error.message : `loading the configuration failed: ${stackOf(error)}`);
    process.exit(1);
  }
  const appLogger = new AppLogger(config);
  useLogger(appLogger);
  const logger = new Logger(config.service);
  logUnhandledRejections(logger);
  logNodeOutput(new Logger('node'));
  try {
    const app = await NestFactory.create(appModule(config), { logger: appLogger });
    configure(app);
    // Our own handler rather than enableShutdownHooks: a planned stop that drained cleanly exits 0.
    const stop = async (signal: NodeJS.Signals) => {
      logger.log(`${signal}: stopping`);
      try {
        await app.close();
        process.exit(0);
      } catch (error) {
        logger.error(`stop failed: ${stackOf(error)}`);
        process.exit(1);
      }
    };
    const onSignal = (signal: NodeJS.Signals) => void stop(signal);
    process.once('SIGTERM', onSignal).once('SIGINT', onSignal);
    await app.listen(config.http.port, '0.0.0.0');
    logger.log(`${config.instanceId} listening on port ${config.http.port}`);
  } catch (error) {
    logger.fatal(`start failed: ${stackOf(error)}`);
    process.exit(1);
  }
}

function useLogger(logger: AppLogger): void {
  Logger.overrideLogger(logger);
  Logger.flush();
}

/** Who reports a configuration that did not load: read leniently from the raw environment. */
function sourceBeforeConfig(service: ServiceName): LogSource {
  const configuredId = instanceId.safeParse(process.env.INSTANCE_ID);
  return { service, instanceId: instanceIdOf(service, configuredId.data), logFormat: logFormatBeforeConfig(process.env) };
}

const stackOf = (error: unknown): string => (error instanceof Error ? (error.stack ?? error.message) : String(error));
