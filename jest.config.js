/**
 * Jest: TypeScript through ts-jest in transpile-only mode (type-checking is `npm run lint`); tests mirror api/.
 * Browser tests (tests/e2e) run in the same `npm test`; their fixture (tests/fixtures/browser.ts) raises their
 * timeout to 240 s, since the first one may build the UI (scripts/build-ui.ts) and chromium runs on 2 cores.
 */
const tsJest = ['ts-jest', { tsconfig: { isolatedModules: true, allowJs: true, esModuleInterop: true, module: 'commonjs', target: 'es2022' } }];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': tsJest,
    // The Blocklet SDK pulls ESM-only packages (@noble/*, @scure/*): compile them to CommonJS.
    '^.+\\.m?js$': tsJest,
  },
  transformIgnorePatterns: ['/node_modules/(?!(@noble|@scure)/)'],
  moduleNameMapper: {
    '^@api/(.*)$': '<rootDir>/api/$1',
    '^@tests/(.*)$': '<rootDir>/tests/$1',
  },
  testTimeout: 60000,
};
