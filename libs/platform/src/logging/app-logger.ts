import { LoggerService } from '@nestjs/common';
import pino, { DestinationStream, Level, LoggerOptions } from 'pino';
import pretty from 'pino-pretty';
import { LogFormat, ServiceName } from '@app/config';
import { entryOf } from './log-entry';

/** Who is logging: on every line, so a shipper can tell instances apart. */
export interface LogSource {
  service: ServiceName;
  instanceId: string;
  logFormat: LogFormat;
}

/**
 * Nest's logger for a whole app, on pino: every line through it, Nest's own included, and the kafkajs and engine
 * lines routed here. `json`: one object per line on stdout, with `time` (ISO 8601), `level` (trace, debug, info,
 * warn, error, fatal; Nest's `log` is info), `message`, `service`, `instance`, `context` (the Nest logger's) and the
 * fields a line carries (`partition`, `commandId`, ...). `text`: the same lines made readable, on stdout too.
 */
export class AppLogger implements LoggerService {
  private readonly pino: pino.Logger;

  /** `destination`: where lines go (stdout by default), for tests. */
  constructor(source: LogSource, destination?: DestinationStream) {
    // Every level, as Nest's console logger printed them.
    const options: LoggerOptions = { base: { service: source.service, instance: source.instanceId }, messageKey: 'message', level: 'trace' };
    // Synchronous writes: the lines before an exit (a bad configuration, a crash) are not lost.
    this.pino =
      source.logFormat === 'json'
        ? pino(
            { ...options, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } },
            destination ?? pino.destination({ dest: 1, sync: true }),
          )
        : pino(options, readableLines(destination ?? 1));
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const { fields, text } = entryOf(message, params, level === 'error' || level === 'fatal');
    this.pino[level](fields, text);
  }
}

/** `[12:00:01.234] INFO: [context] message {"partition":3}`, a stack on the lines after; coloured unless NO_COLOR, as Nest's. */
function readableLines(destination: DestinationStream | number): DestinationStream {
  return pretty({
    destination,
    sync: true,
    colorize: !process.env.NO_COLOR,
    messageKey: 'message',
    translateTime: 'SYS:HH:MM:ss.l',
    singleLine: true,
    ignore: 'pid,hostname,service,instance,context,stack',
    messageFormat: (log, messageKey) => {
      const context = typeof log.context === 'string' ? `[${log.context}] ` : '';
      const stack = typeof log.stack === 'string' ? `\n${log.stack}` : '';
      return `${context}${String(log[messageKey])}${stack}`;
    },
  });
}
