/** @type {import('jest').Config} */
module.exports = {
  displayName: 'api',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
    // jose ships ES modules only; Node runs them through require(esm), Jest (before Node 24.9) does not.
    '^.+/node_modules/jose/.+\\.js$': ['ts-jest', { isolatedModules: true, tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
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
