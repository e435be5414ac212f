/** Shared by the unit and integration projects: TypeScript through ts-jest, tsconfig path aliases. */
const aliases = ['config', 'kafka', 'postgres', 'platform', 'engine', 'inventory', 'zone', 'sdk', 'protocol', 'owner-link', 'analytics'];

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': 'ts-jest' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: Object.fromEntries([
    // The engine's test kit (in-memory ports, contract suites, decider spec): test code only.
    ['^@app/engine/testing$', '<rootDir>/libs/engine/src/testing'],
    ...aliases.flatMap((lib) => [
      [`^@app/${lib}$`, `<rootDir>/libs/${lib}/src`],
      [`^@app/${lib}/(.*)$`, `<rootDir>/libs/${lib}/src/$1`],
    ]),
  ]),
};
