/** The fault suite (npm run test:faults): built API processes killed, starved and fed garbage on purpose. */
const base = require('./jest.config.cjs');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  displayName: 'api-faults',
  testMatch: ['<rootDir>/test-faults/**/*.spec.ts'],
  globalSetup: '<rootDir>/test-faults/global-setup.cjs',
  globalTeardown: '<rootDir>/test-faults/global-teardown.cjs',
  maxWorkers: 1,
  testTimeout: 300000,
};
