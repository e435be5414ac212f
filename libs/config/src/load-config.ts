import { z } from 'zod';

/** Thrown when the environment does not satisfy a schema; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Values of these may hold credentials: name the variable, never echo it. */
const SECRET_LIKE = /TOKEN|SECRET|PASSWORD|DATABASE_URL/;

/** Parses the environment once; empty strings count as unset so `FOO=` falls back to the default. */
export function parseEnv<S extends z.ZodType>(schema: S, env: Env): z.output<S> {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const variable = issue.path.join('.') || '(environment)';
      const raw = typeof issue.path[0] === 'string' ? env[issue.path[0]] : undefined;
      const shown = raw === undefined || SECRET_LIKE.test(variable) ? '' : ` (got ${JSON.stringify(raw)})`;
      return `${variable}: ${issue.message}${shown}`;
    }),
  );
}

/** A connection URL fit for a message: its password hidden; one that does not parse is not shown at all. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}
