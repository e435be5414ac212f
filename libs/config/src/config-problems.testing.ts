import { ConfigError } from './load-config';

/** The problems a configuration run reports; fails the test when it reports none or throws anything else. */
export function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
