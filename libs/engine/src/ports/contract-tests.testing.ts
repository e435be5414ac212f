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
