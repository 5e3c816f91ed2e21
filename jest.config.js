/** Jest: TypeScript through SWC (type-checking is `npm run lint`), tests mirror api/. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // The Blocklet SDK pulls ESM-only packages (@noble/*, @scure/*): let SWC compile them to CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(@noble|@scure|@ocap|@arcblock|ufo)/)'],
  moduleNameMapper: {
    '^@api/(.*)$': '<rootDir>/api/$1',
    '^@tests/(.*)$': '<rootDir>/tests/$1',
  },
  testTimeout: 60000,
};
