/** Multi-process tests: built API nodes on PostgreSQL + Redis (npm run test:scale). */
const base = require('./jest.config.cjs');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  displayName: 'api-scale',
  testMatch: ['<rootDir>/test-scale/**/*.spec.ts'],
  maxWorkers: 1,
  testTimeout: 180000,
};
