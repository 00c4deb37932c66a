/**
 * ts-jest transpiles our TypeScript and the ESM-only packages (trading-signals, and ccxt's @noble/@scure
 * dependencies) to CommonJS; Jest cannot load ESM from node_modules otherwise. Type checking happens once
 * in `npm run typecheck`, so ts-jest runs transpile-only and stays fast.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.[tj]sx?$': [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', moduleResolution: 'node', isolatedModules: true, esModuleInterop: true, target: 'ES2022' }, diagnostics: false },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(trading-signals|@noble|@scure)/)'],
  testTimeout: 30000,
};
