/** @type {import('jest').Config} */
module.exports = {
  displayName: 'dashboard',
  rootDir: __dirname,
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.spec.tsx'],
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'cjs', 'json'],
  moduleNameMapper: {
    '^@parley/contracts$': '<rootDir>/../../libs/contracts/src/index.ts',
    '^@parley/domain$': '<rootDir>/../../libs/domain/src/index.ts',
    '^@parley/live-client$': '<rootDir>/../../libs/live-client/src/index.ts',
    '\\.(css)$': '<rootDir>/src/testing/style-mock.cjs',
  },
};
