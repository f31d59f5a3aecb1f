// API end-to-end suites: the real Nest app on a random port, the real local database
// (MONGODB_URI from tools/db/launcher.mjs), real Redis where a suite needs it, real sockets.
// `supertest` is mapped to support/checked-supertest.ts: every REST response is also checked
// against the OpenAPI document the server publishes.
const path = require('node:path');
const { preset } = require('../../../tools/jest/preset.cjs');

const base = preset({
  displayName: 'api-e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.e2e-spec.ts'],
  testTimeout: 60000,
  maxWorkers: 2,
});
module.exports = {
  ...base,
  // @apidevtools/swagger-parser and its ref parser ship as ES modules, like otplib's crypto
  // and base32 dependencies (see the preset); jest on Node 20 needs them compiled to CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(@otplib|@noble|@scure|@apidevtools)/)'],
  moduleNameMapper: {
    ...base.moduleNameMapper,
    '^supertest$': path.join(__dirname, 'support/checked-supertest.ts'),
  },
};
