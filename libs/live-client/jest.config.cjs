/** @type {import('jest').Config} */
module.exports = {
  displayName: 'live-client',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleNameMapper: {
    '^@parley/contracts$': '<rootDir>/../contracts/src/index.ts',
    '^@parley/domain$': '<rootDir>/../domain/src/index.ts',
  },
};
