// Lambda bundles: every functions/*.ts entry built with esbuild as the CDK app builds it, its size and load time.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { BUNDLE_ALIASES } from '../infra/bundling/aliases';
import { median, progress } from './measure';
import type { BenchSuite } from './suite';

const ROOT = resolve(__dirname, '..');
const FUNCTIONS_DIR = join(ROOT, 'functions');
const LOAD_RUNS = 5;
const KB = 1000;
const MB = 1000 * KB;
/** The webhook path answers the vendors; its cold start is what they wait on. */
interface Target {
  readonly maxBytes: number;
  readonly maxLoadMs?: number;
}
const TARGETS: Readonly<Record<string, Target>> = {
  ingest: { maxBytes: 150 * KB, maxLoadMs: 50 },
};
const DEFAULT_TARGET: Target = { maxBytes: 1.5 * MB };

/** The options of infra/leadscore-function.ts (NodejsFunction bundling), which the numbers must describe. */
export const CDK_BUNDLING = {
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  // The Lambda Node.js 22 runtime ships AWS SDK v3, so the SDK is not bundled (nor counted in bytes).
  external: ['@aws-sdk/*'] as string[],
  alias: { ...BUNDLE_ALIASES },
  sourcemap: 'external',
  sourcesContent: false,
  metafile: true,
  write: false,
  logLevel: 'silent',
} satisfies BuildOptions;

/** functions/*.ts, found afresh on each run so that new functions are measured too. */
function entries(): string[] {
  return readdirSync(FUNCTIONS_DIR)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .filter((name) => statSync(join(FUNCTIONS_DIR, name)).isFile())
    .map((name) => name.slice(0, -'.ts'.length))
    .sort();
}

/** The packages (or our own top-level folders) that contribute most to a bundle, in output bytes. */
function heaviest(metafile: Metafile, top = 6): Record<string, number> {
  const byPart = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
      const part = pkg ?? input.split('/').slice(0, 2).join('/');
      byPart.set(part, (byPart.get(part) ?? 0) + bytesInOutput);
    }
  }
  return Object.fromEntries([...byPart].sort((a, b) => b[1] - a[1]).slice(0, top));
}

/** The AWS SDK packages a bundle requires (left external, so loaded from the runtime). */
function sdkImports(metafile: Metafile): string[] {
  const imports = Object.values(metafile.outputs).flatMap((output) => output.imports);
  return [
    ...new Set(
      imports.filter((item) => item.external && item.path.startsWith('@aws-sdk/')).map((item) => item.path),
    ),
  ];
}

/**
 * Median milliseconds to require the bundle in a fresh Node process, the SDK resolved from our node_modules.
 * With `preload`, those modules are required before the clock starts: the bundle's own share.
 */
function loadMs(file: string, preload: readonly string[] = []): number {
  const before = preload.map((name) => `require(${JSON.stringify(name)});`).join('');
  const script = `${before}const t=process.hrtime.bigint();require(${JSON.stringify(file)});console.log(Number(process.hrtime.bigint()-t)/1e6)`;
  const times: number[] = [];
  for (let run = 0; run < LOAD_RUNS; run++) {
    const result = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: {
        ...process.env,
        NODE_PATH: join(ROOT, 'node_modules'),
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
    const ms = Number(result.stdout.trim().split('\n').pop());
    if (result.status !== 0 || !Number.isFinite(ms)) {
      throw new Error(`loading ${file} failed: ${result.stderr.trim().split('\n').slice(0, 5).join(' | ')}`);
    }
    times.push(ms);
  }
  return Math.round(median(times) * 10) / 10;
}

async function measure(name: string, dir: string) {
  const result = await build({
    ...CDK_BUNDLING,
    entryPoints: [join(FUNCTIONS_DIR, `${name}.ts`)],
    outfile: join(dir, `${name}.js`),
  });
  const code = result.outputFiles.find((file) => file.path.endsWith('.js'));
  if (!code) throw new Error(`esbuild produced no JavaScript for ${name}`);
  for (const file of result.outputFiles) writeFileSync(file.path, file.contents);
  const bytes = code.contents.byteLength;
  const ms = loadMs(code.path);
  const sdk = sdkImports(result.metafile);
  const target = TARGETS[name] ?? DEFAULT_TARGET;
  const met = bytes <= target.maxBytes && (target.maxLoadMs === undefined || ms <= target.maxLoadMs);
  return {
    bytes,
    gzipBytes: gzipSync(code.contents).byteLength,
    loadMs: ms,
    /** The same with the SDK already loaded: what our code costs, apart from the SDK. */
    ownLoadMs: loadMs(code.path, sdk),
    sdk,
    target: { ...target, met },
    heaviest: heaviest(result.metafile),
  };
}

export const bundlesSuite: BenchSuite = {
  name: 'bundles',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'leadscore-bundles-'));
    try {
      const bundles: Record<string, Awaited<ReturnType<typeof measure>>> = {};
      for (const name of entries()) {
        progress(`bundles: ${name}`);
        bundles[name] = await measure(name, dir);
      }
      return {
        ...bundles,
        settings:
          'esbuild as infra/leadscore-function.ts: bundle, minify, platform node, target node22, format cjs, ' +
          `aliases ${Object.keys(BUNDLE_ALIASES).join(', ')}; ` +
          "'@aws-sdk/*' external because the Lambda Node.js 22 runtime ships SDK v3, so bytes and heaviest leave it " +
          `out, while loadMs (median of ${LOAD_RUNS} fresh processes) includes requiring it from node_modules`,
        // Load times are wall-clock: on a busy machine they say as much about the neighbours as about us.
        machine: { cpus: availableParallelism(), loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100 },
        allTargetsMet: Object.values(bundles).every((bundle) => bundle.target.met),
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
