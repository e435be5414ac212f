import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

describe('logUnhandledRejections', () => {
  /** A real process, since what is at stake is whether it ends: it rejects a promise nobody handles, then says it lived on. */
  const run = (install: boolean) => {
    const module = resolve(__dirname, 'unhandled-rejections.ts');
    const script = [
      install ? `require(${JSON.stringify(module)}).logUnhandledRejections({ error: (message) => console.log('logged: ' + message.split('\\n')[0]) });` : '',
      `Promise.reject(new Error('nobody handles this'));`,
      `setTimeout(() => console.log('still serving'), 200);`,
    ].join('\n');
    return spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], { encoding: 'utf8', timeout: 20_000 });
  };

  it('keeps the process alive and logs the rejection as a defect', () => {
    const { status, stdout } = run(true);
    expect(stdout).toContain('logged: unhandled rejection (a defect, please report it): Error: nobody handles this');
    expect(stdout).toContain('still serving');
    expect(status).toBe(0);
  });

  it('is what keeps it alive: without it Node ends the process', () => {
    const { status, stdout } = run(false);
    expect(stdout).not.toContain('still serving');
    expect(status).not.toBe(0);
  });
});
