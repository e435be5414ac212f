import { Writable } from 'node:stream';
import { Logger } from '@nestjs/common';
import { AppLogger } from './app-logger';

describe('AppLogger', () => {
  const linesOf = (logFormat: 'json' | 'text', log: (logger: Logger) => void): string[] => {
    const lines: string[] = [];
    const output = new Writable({
      write: (chunk, _encoding, done) => {
        lines.push(String(chunk));
        done();
      },
    });
    const app = new AppLogger({ service: 'zone', instanceId: 'zone-7', logFormat }, output);
    Logger.overrideLogger(app);
    try {
      log(new Logger('engine:zone'));
    } finally {
      Logger.overrideLogger(false);
    }
    return lines.join('').split('\n').filter(Boolean);
  };

  describe('json', () => {
    it('writes one object per line with time, level, message, service, instance, context and the fields passed', () => {
      const [line, ...more] = linesOf('json', (logger) => logger.warn('zone.events[3]: snapshot failed', { partition: 3, commandId: 'c-1' }));
      expect(more).toEqual([]);
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(entry).toEqual({
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        level: 'warn',
        message: 'zone.events[3]: snapshot failed',
        service: 'zone',
        instance: 'zone-7',
        context: 'engine:zone',
        partition: 3,
        commandId: 'c-1',
      });
    });

    it("names Nest's levels as pino does: log is info, verbose is trace", () => {
      const levels = linesOf('json', (logger) => {
        logger.log('a');
        logger.error('b');
        logger.debug('c');
        logger.verbose('d');
        logger.fatal('e');
      }).map((line) => (JSON.parse(line) as { level: string }).level);
      expect(levels).toEqual(['info', 'error', 'debug', 'trace', 'fatal']);
    });

    it('keeps a multi-line message and a stack on one line each', () => {
      const lines = linesOf('json', (logger) => {
        logger.error('Invalid configuration:\n  - PORT: expected a port number');
        logger.error(new Error('boom'));
        Logger.error('Unable to connect', 'Error: refused\n    at connect (net.js:1:1)');
      });
      expect(lines).toHaveLength(3);
      const [config, thrown, withStack] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(config.message).toBe('Invalid configuration:\n  - PORT: expected a port number');
      expect(thrown).toMatchObject({ message: 'boom', stack: expect.stringMatching(/^Error: boom\n\s+at /) });
      expect(withStack).toMatchObject({ message: 'Unable to connect', stack: 'Error: refused\n    at connect (net.js:1:1)' });
      expect(withStack.context).toBeUndefined();
    });

    it('takes a last string as the context when it is not a stack', () => {
      const [entry] = linesOf('json', () => Logger.log('Mapped {/health, GET} route', 'RouterExplorer')).map(
        (line) => JSON.parse(line) as Record<string, unknown>,
      );
      expect(entry).toMatchObject({ message: 'Mapped {/health, GET} route', context: 'RouterExplorer' });
    });
  });

  describe('text', () => {
    it('writes the context, message and fields readably, no JSON object per line', () => {
      const lines = linesOf('text', (logger) => logger.log('zone.events[3]: claimed', { partition: 3 }));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/INFO.*\[engine:zone\] zone\.events\[3\]: claimed.*\{"partition":3\}/);
      expect(() => JSON.parse(lines[0])).toThrow();
    });
  });
});
