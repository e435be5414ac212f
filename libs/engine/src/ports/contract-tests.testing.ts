export interface ContractOptions {
  /**
   * Contract tests (by exact title) that this adapter is known to fail, each with a short reason. They run
   * as `it.failing` under a KNOWN DEFECT title: the suite stays green while the defect lasts and turns red
   * once it is fixed, so the entry cannot outlive the defect.
   */
  knownDefects?: Record<string, string>;
}

/**
 * The `it` of a contract suite, aware of the adapter's known defects; `checkKnownDefects()`, called once
 * every test is declared, fails the suite when an entry names no test.
 */
export function contractTests(adapter: string, { knownDefects = {} }: ContractOptions, defaultTimeout?: number) {
  const defects = new Map(Object.entries(knownDefects));
  const titles = new Set<string>();
  return {
    it(title: string, fn: () => Promise<void>, timeout = defaultTimeout): void {
      titles.add(title);
      const defect = defects.get(title);
      if (defect === undefined) globalThis.it(title, fn, timeout);
      else globalThis.it.failing(`KNOWN DEFECT of ${adapter} (${defect}): ${title}`, fn, timeout);
    },
    checkKnownDefects(): void {
      const unknown = [...defects.keys()].filter((title) => !titles.has(title));
      if (unknown.length > 0) throw new Error(`knownDefects name no contract test: ${unknown.join('; ')}`);
    },
  };
}

/** Polls `check` until it returns a value other than undefined; fails after `timeoutMs`, saying what it waited for. */
export async function poll<T>(
  what: string | (() => string),
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const reason = lastError instanceof Error ? `: last error ${lastError.message}` : '';
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}${reason}`);
}

/** Runs `work`, failing if it has not settled within `ms`. */
export async function within<T>(ms: number, what: string, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
