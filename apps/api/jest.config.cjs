/** @type {import('jest').Config} */
module.exports = {
  displayName: 'api',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleNameMapper: {
    '^@parley/contracts$': '<rootDir>/../../libs/contracts/src/index.ts',
    '^@parley/domain$': '<rootDir>/../../libs/domain/src/index.ts',
    '^@parley/live-client$': '<rootDir>/../../libs/live-client/src/index.ts',
    '^@parley/migrations$': '<rootDir>/../../migrations/index.ts',
  },
  // Each integration suite boots the app on its own database; two workers suit the 2-core machines.
  maxWorkers: 2,
  testTimeout: 60000,
};
