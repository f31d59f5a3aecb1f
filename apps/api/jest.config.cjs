module.exports = require('../../tools/jest/preset.cjs').preset({
  displayName: 'api',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
});
