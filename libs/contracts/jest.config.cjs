module.exports = require('../../tools/jest/preset.cjs').preset({
  displayName: 'contracts',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
});
