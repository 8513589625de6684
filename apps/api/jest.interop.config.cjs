/**
 * The interop suite (npm run test:interop): exports opened by the programs people use, poppler's
 * pdftotext/pdfinfo, LibreOffice and Python's csv module, which must be installed (.ci/run does).
 * `npm test` reads the same files with JavaScript readers and needs none of them.
 */
const base = require('./jest.config.cjs');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  displayName: 'api-interop',
  testMatch: ['<rootDir>/test-interop/**/*.spec.ts'],
  // One LibreOffice at a time is enough for two cores.
  maxWorkers: 1,
  testTimeout: 180000,
};
