#!/usr/bin/env node
// The `leadscore` command: runs the TypeScript CLI through tsx so that no build step is needed.
require('tsx/cjs/api').register();
const { main } = require('../lib/cli/main.ts');

main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`leadscore: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
