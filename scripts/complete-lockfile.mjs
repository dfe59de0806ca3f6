#!/usr/bin/env node
// Adds lock entries for optional platform binaries (other OSes and CPUs) that the npm registry this
// project installs from does not serve, so that `npm ci` finds the lock complete. npm skips them on
// install (os/cpu do not match), exactly as it does on a full registry. Run after `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const OSES = [
  'android',
  'darwin',
  'freebsd',
  'linux',
  'openharmony',
  'sunos',
  'win32',
  'aix',
  'netbsd',
  'openbsd',
];
const CPUS = ['arm64', 'arm', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x', 'wasm32', 'mips64el'];

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
let added = 0;
for (const [location, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = location ? `${location}/node_modules/${name}` : `node_modules/${name}`;
    if (lock.packages[base] || lock.packages[`node_modules/${name}`]) continue;
    const tokens = name.split(/[-/]/);
    const os = tokens.find((token) => OSES.includes(token));
    const cpu = tokens.find((token) => CPUS.includes(token));
    if (!os && !cpu) continue;
    lock.packages[`node_modules/${name}`] = {
      version,
      optional: true,
      ...(os ? { os: [os] } : {}),
      ...(cpu ? { cpu: [cpu] } : {}),
    };
    added++;
  }
}
const sorted = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync(path, `${JSON.stringify({ ...lock, packages: sorted }, null, 2)}\n`);
console.log(`complete-lockfile: ${added} platform entr${added === 1 ? 'y' : 'ies'} added`);
