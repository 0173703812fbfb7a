'use strict';
// NestJS 12 ships ESM only; jest's loader needs CommonJS. Our TypeScript goes
// through ts-jest, and the ESM packages in node_modules through babel-jest.
const SOURCE_MODULES = Object.keys(require('./tsconfig.json').compilerOptions.paths)
  .filter((alias) => !alias.endsWith('/*'))
  .map((alias) => alias.slice(1));
const esmPackages = ['@nestjs', 'file-type', 'strtok3', 'token-types', '@tokenizer', 'uint8array-extras', '@borewit'];

module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  // The reliability suite starts real processes and faults; it runs on its own (npm run test:reliability).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/reliability/'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  // The modules' path aliases (tsconfig.json's "paths"): `@accounts` is src/accounts/index.ts.
  moduleNameMapper: { [`^@(${SOURCE_MODULES.join('|')})(/.*)?$`]: '<rootDir>/src/$1$2' },
  // Every answer of a test app is checked against the OpenAPI document (test/support/response-contract.ts).
  setupFilesAfterEnv: ['<rootDir>/test/support/contract-hook.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
    '^.+\\.m?js$': [
      'babel-jest',
      {
        babelrc: false,
        configFile: false,
        plugins: [
          require.resolve('./test/support/babel-esm-interop.js'),
          '@babel/plugin-transform-dynamic-import',
          '@babel/plugin-transform-modules-commonjs',
        ],
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  maxWorkers: 2,
  testTimeout: 30000,
};
