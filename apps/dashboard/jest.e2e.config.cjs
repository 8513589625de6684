/** End-to-end: the built API serving the built dashboard, driven in Debian's Chromium (npm run test:e2e). */
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'dashboard-e2e',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/e2e/**/*.e2e.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.e2e.json' }] },
  moduleFileExtensions: ['ts', 'js', 'cjs', 'json'],
  maxWorkers: 1,
  testTimeout: 120000,
};
