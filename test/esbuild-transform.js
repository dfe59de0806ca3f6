/**
 * Jest transform: TypeScript (and middy's ESM) to CommonJS with esbuild, the compiler the Lambda bundles
 * already use. Chosen over @swc/jest because the registry this project installs from lacks @swc/core's
 * macOS binaries, which leaves `npm ci` unable to check the lock file (see README, Stack).
 */
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { transformSync, version } = require('esbuild');

// Cached output depends on esbuild, on these options (this file) and on the source.
const SELF = readFileSync(__filename);

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: /\.tsx?$/.test(filename) ? 'ts' : 'js',
      format: 'cjs',
      target: 'es2022',
      platform: 'node',
      sourcemap: 'external',
      sourcefile: filename,
      // Jest runs CommonJS: dynamic import() becomes a require, as SWC and TypeScript would make it.
      supported: { 'dynamic-import': false },
    });
    return { code, map };
  },
  getCacheKey(source, filename) {
    return createHash('sha256').update(version).update(SELF).update(filename).update(source).digest('hex');
  },
};
