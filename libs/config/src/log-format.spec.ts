import { commonEnvSchema, toAppConfig } from './app-config';
import { problemsOf } from './config-problems.testing';
import { parseEnv } from './load-config';
import { logFormatBeforeConfig } from './log-format';

describe('LOG_FORMAT', () => {
  const formatOf = (env: Record<string, string>) => toAppConfig('zone', parseEnv(commonEnvSchema, env)).logFormat;

  it.each([
    [{}, 'text'],
    [{ NODE_ENV: 'development' }, 'text'],
    [{ NODE_ENV: 'test' }, 'text'],
    [{ NODE_ENV: 'production' }, 'json'],
    [{ NODE_ENV: 'production', LOG_FORMAT: '' }, 'json'],
  ])('defaults by NODE_ENV: %j logs %s', (env, format) => {
    expect(formatOf(env)).toBe(format);
  });

  it('is taken as set, whatever NODE_ENV says', () => {
    expect(formatOf({ LOG_FORMAT: 'json' })).toBe('json');
    expect(formatOf({ NODE_ENV: 'production', LOG_FORMAT: 'text' })).toBe('text');
  });

  it.each(['JSON', 'pretty', 'yes'])('refuses %j and names the variable', (value) => {
    expect(problemsOf(() => parseEnv(commonEnvSchema, { LOG_FORMAT: value }))).toEqual([
      `LOG_FORMAT: Invalid option: expected one of "json"|"text" (got ${JSON.stringify(value)})`,
    ]);
  });

  describe('before the configuration parsed (to report why it did not)', () => {
    it('takes a valid LOG_FORMAT even when other variables are bad', () => {
      expect(logFormatBeforeConfig({ LOG_FORMAT: 'json', PORT: 'abc' })).toBe('json');
      expect(logFormatBeforeConfig({ NODE_ENV: 'production', LOG_FORMAT: 'text' })).toBe('text');
    });

    it('falls back to the default of NODE_ENV when LOG_FORMAT is bad or unset', () => {
      expect(logFormatBeforeConfig({ NODE_ENV: 'production', LOG_FORMAT: 'pretty' })).toBe('json');
      expect(logFormatBeforeConfig({ NODE_ENV: 'production' })).toBe('json');
      expect(logFormatBeforeConfig({ LOG_FORMAT: 'pretty' })).toBe('text');
      expect(logFormatBeforeConfig({ NODE_ENV: 'staging' })).toBe('text');
    });
  });
});
