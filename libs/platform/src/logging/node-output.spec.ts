import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

describe('logNodeOutput', () => {
  /** A real process, since what is at stake is what Node itself prints: a warning, then an exception nobody catches. */
  const run = (install: boolean) => {
    const [logger, output] = [resolve(__dirname, 'app-logger.ts'), resolve(__dirname, 'node-output.ts')].map((path) => JSON.stringify(path));
    const script = [
      `const { Logger } = require('@nestjs/common');`,
      `Logger.overrideLogger(new (require(${logger}).AppLogger)({ service: 'zone', instanceId: 'zone-1', logFormat: 'json' }));`,
      install ? `require(${output}).logNodeOutput(new Logger('node'));` : '',
      `process.emitWarning('old API', { type: 'DeprecationWarning', code: 'DEP_TEST' });`,
      `setTimeout(() => { throw new Error('nobody catches this'); }, 50);`,
    ].join('\n');
    return spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], { encoding: 'utf8', timeout: 20_000 });
  };

  it("logs Node's warnings and an uncaught exception through the logger, then ends the process as Node would", () => {
    const { status, stdout, stderr } = run(true);
    expect(stderr).toBe('');
    const lines = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({ level: 'warn', context: 'node', code: 'DEP_TEST', message: 'DeprecationWarning: old API' }),
      expect.objectContaining({
        level: 'fatal',
        context: 'node',
        message: expect.stringMatching(/^uncaught exception .*: Error: nobody catches this\n\s+at /),
      }),
    ]);
    expect(status).toBe(1);
  });

  it('is what keeps them JSON: without it Node prints its own text on stderr', () => {
    const { status, stderr } = run(false);
    expect(stderr).toMatch(/DeprecationWarning: old API/);
    expect(stderr).toMatch(/Error: nobody catches this/);
    expect(status).toBe(1);
  });
});
