// API end-to-end suites: the real Nest app on a random port, the real local database
// (MONGODB_URI from tools/db/launcher.mjs), real Redis where a suite needs it, real sockets.
module.exports = require('../../../tools/jest/preset.cjs').preset({
  displayName: 'api-e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.e2e-spec.ts'],
  testTimeout: 60000,
  maxWorkers: 2,
});
