import { z } from 'zod';
import { nodeEnv } from './env-fields';

/** `json`: one JSON object per line, for log shippers; `text`: readable lines for a person at a terminal. */
export const logFormat = z.enum(['json', 'text']);

export type LogFormat = z.output<typeof logFormat>;

/** Production logs are read by shippers, local ones by people. */
export const defaultLogFormat = (env: z.output<typeof nodeEnv>): LogFormat => (env === 'production' ? 'json' : 'text');

/**
 * The format to report a bad configuration in, read from the raw environment: the configuration that would say it
 * did not parse. A bad LOG_FORMAT (itself one of the problems) falls back to the default of NODE_ENV.
 */
export function logFormatBeforeConfig(env: Record<string, string | undefined>): LogFormat {
  const asked = logFormat.safeParse(env.LOG_FORMAT);
  if (asked.success) return asked.data;
  return defaultLogFormat(env.NODE_ENV === 'production' ? 'production' : 'development');
}
