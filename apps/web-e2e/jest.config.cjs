// Browser end-to-end tests: the built product (API serving the SPA) driven through Debian's
// Chromium by playwright-core. Each suite starts its own server on a free port.
module.exports = require('../../tools/jest/preset.cjs').preset({
  displayName: 'web-e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  testTimeout: 120000,
  maxWorkers: 1,
});
