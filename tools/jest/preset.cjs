// Shared jest settings: SWC transform with the decorator metadata Nest relies on, and the
// contracts alias that tsconfig.base.json declares for the compiler.
const path = require('node:path');

const swcTransform = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true, tsx: true },
      transform: {
        legacyDecorator: true,
        decoratorMetadata: true,
        react: { runtime: 'automatic' },
      },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

function preset(overrides) {
  return {
    testEnvironment: 'node',
    transform: { '^.+\\.(t|j)sx?$': swcTransform },
    // otplib's crypto and base32 dependencies ship only as ES modules: compile them too.
    transformIgnorePatterns: ['/node_modules/(?!(@otplib|@noble|@scure)/)'],
    moduleNameMapper: {
      '^@natter/contracts$': path.join(__dirname, '../../libs/contracts/src/index.ts'),
      '^@natter/contracts/client$': path.join(__dirname, '../../libs/contracts/src/client.ts'),
    },
    moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
    reporters: ['default', path.join(__dirname, 'count-reporter.cjs')],
    ...overrides,
  };
}

module.exports = { preset };
