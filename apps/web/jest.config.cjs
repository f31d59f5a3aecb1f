module.exports = require('../../tools/jest/preset.cjs').preset({
  displayName: 'web',
  rootDir: __dirname,
  testEnvironment: '<rootDir>/jest.environment.cjs',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.spec.tsx'],
  setupFiles: ['<rootDir>/jest.polyfills.cjs'],
  setupFilesAfterEnv: ['<rootDir>/jest.setup.ts'],
  // Tests that type and click through whole forms take several seconds on a loaded two-core
  // machine; the default 5 s made them fail on CPU, not on behaviour.
  testTimeout: 30_000,
});
