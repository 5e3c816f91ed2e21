/** Jest: TypeScript through ts-jest in transpile-only mode (type-checking is `npm run lint`); tests mirror api/. */
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
