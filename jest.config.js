/** Jest runs TypeScript through esbuild (test/esbuild-transform.js); middy is ESM-only so it is transformed too. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j|mj)sx?$': '<rootDir>/test/esbuild-transform.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // Integration tests wait for emulators; unit tests never come near this.
  testTimeout: 30_000,
  // Two cores: Jest's default (cores − 1) would run every file one after another.
  maxWorkers: 2,
};
