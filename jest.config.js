/** `npm test` runs both projects in one jest run, so one summary covers every test. */
module.exports = {
  projects: ['<rootDir>/jest.unit.config.js', '<rootDir>/jest.int.config.js'],
  reporters: ['default', '<rootDir>/test/support/plain-summary-reporter.js'],
};
