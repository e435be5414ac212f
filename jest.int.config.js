/** Integration tests: real Kafka, real PostgreSQL, real processes. */
module.exports = {
  ...require('./jest.base.config'),
  displayName: 'integration',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.int-spec.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/integration-timeout.ts'],
};
