/** Unit tests: pure code, no I/O, next to what they test. */
module.exports = {
  ...require('./jest.base.config'),
  displayName: 'unit',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/scripts'],
  testMatch: ['**/*.spec.ts'],
};
