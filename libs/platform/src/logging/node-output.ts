import { Logger } from '@nestjs/common';

/**
 * What Node prints by itself goes through the app's logger instead, so that it is JSON too under LOG_FORMAT=json:
 * warnings (deprecations, listener leaks), and an exception nobody caught, after which the process ends as Node
 * would end it (exit code 1).
 */
export function logNodeOutput(logger: Logger): void {
  // The only listener at start is Node's own printer.
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error & { code?: string }) => logger.warn(`${warning.name}: ${warning.message}`, warning.code ? { code: warning.code } : {}));
  process.on('uncaughtException', (error) => {
    logger.fatal(`uncaught exception (a defect, please report it): ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  });
}
