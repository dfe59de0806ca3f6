// Scoring engine throughput: fit-only and full scoring on a generated workload, against json-rules-engine.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { parse as parseYaml } from 'yaml';
import type * as Engine from '../lib/scoring';
import type { Lead, ScoringModel } from '../lib/scoring';
import { CDK_BUNDLING } from './bundles';
import { buildJsonRulesEngineFit } from './json-rules-engine-fit';
import { measureRates, median, progress } from './measure';
import type { BenchSuite } from './suite';
import { generateWorkload } from './workload';

const EXAMPLE_RULES = resolve(__dirname, '../test/fixtures/rules/default.yaml');
const LEADS = 10_000;
const SEED = 20240601;
const NOW = new Date('2024-06-01T12:00:00Z');
const TARGETS = { fitSpeedupVsJsonRulesEngine: 50, fullLeadsPerSec: 500_000 } as const;

/**
 * The engine as the Lambda functions ship it: lib/scoring bundled by esbuild with the CDK app's options.
 * Imported through tsx instead, each cross-module call goes through a CommonJS export getter, which
 * measured ~15% slower; the worker never runs that way.
 */
function loadShippedEngine(): typeof Engine {
  const dir = mkdtempSync(join(tmpdir(), 'leadscore-engine-'));
  try {
    const outfile = join(dir, 'engine.js');
    const { metafile: _metafile, write: _write, sourcemap: _sourcemap, ...options } = CDK_BUNDLING;
    buildSync({ ...options, entryPoints: [resolve(__dirname, '../lib/scoring/index.ts')], outfile });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle just built, by path
    return require(outfile) as typeof Engine;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function compile(engine: typeof Engine, text: string, fileName: string): ScoringModel {
  const parsed = engine.parseRulesText(text, fileName);
  if (!parsed.ok) throw new Error(`${fileName} is invalid:\n${parsed.problems.join('\n')}`);
  return engine.compileRules(parsed.rules);
}

/** The example with its engagement side removed: only fit rules (and grades, stages, limits) remain. */
function fitOnlyRulesText(exampleText: string): string {
  const raw = parseYaml(exampleText) as Record<string, unknown>;
  const { reengagement: _reengagement, decay: _decay, ...rest } = raw;
  return JSON.stringify({ ...rest, name: `${String(raw['name'])}-fit-only`, engagement: [] });
}

/**
 * Reads what full scoring cannot avoid reading of each event, its type, its id and every character of its
 * time, and nothing else: a floor under full scoring for this workload on this machine. Returns a sum so
 * that the reads are not optimized away.
 */
function readEvents(leads: readonly Lead[]): number {
  let sum = 0;
  for (const lead of leads) {
    for (const event of lead.events ?? []) {
      const { type, id, occurredAt } = event;
      sum += (typeof type === 'string' ? type.length : 0) + (typeof id === 'string' ? id.length : 0);
      if (typeof occurredAt === 'string') {
        for (let i = 0; i < occurredAt.length; i++) sum += occurredAt.charCodeAt(i);
      }
    }
  }
  return sum;
}

/**
 * The CPU to pin the measurement to, when `taskset` can: the last one. Unpinned, the scheduler moves the
 * process between cores (and, on a VM, between caches), and the same code measured ~220k or ~330k full
 * leads/s from one run to the next; pinned, runs agree within a few percent. "One core" is also what the
 * target says.
 */
function pinnableCpu(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  const probe = spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
  return probe.status === 0 ? cpus().length - 1 : undefined;
}

/** Runs the measurement in a child process pinned to `cpu`, and returns what it printed. */
function measurePinned(cpu: number): Record<string, unknown> {
  const child = spawnSync(
    'taskset',
    ['-c', String(cpu), process.execPath, ...process.execArgv, resolve(__dirname, 'engine-pinned.ts')],
    { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' },
  );
  if (child.status !== 0) throw new Error(`the pinned engine measurement failed (exit ${child.status})`);
  return JSON.parse(child.stdout) as Record<string, unknown>;
}

export const engineSuite: BenchSuite = {
  name: 'engine',
  async run() {
    const cpu = pinnableCpu();
    if (cpu === undefined) {
      progress('engine: taskset is not available, so the measurement is not pinned to one core');
      return { ...(await measureEngine()), pinnedToCpu: null };
    }
    progress(`engine: measuring in a process pinned to CPU ${cpu}`);
    return { ...measurePinned(cpu), pinnedToCpu: cpu };
  },
};

/** The measurement itself, in whatever process runs it. */
export async function measureEngine(): Promise<Record<string, unknown>> {
  const exampleText = readFileSync(EXAMPLE_RULES, 'utf8');
  progress('engine: bundling lib/scoring as the functions ship it');
  const engine = loadShippedEngine();
  const { scoreLead } = engine;
  const fullModel = compile(engine, exampleText, 'default.yaml');
  const fitModel = compile(engine, fitOnlyRulesText(exampleText), 'fit-only.json');
  const rawFit = (parseYaml(exampleText) as { fit: Record<string, unknown>[] }).fit;
  const jsonRulesEngineFit = buildJsonRulesEngineFit(rawFit);

  progress(`engine: generating ${LEADS} leads (seed ${SEED})`);
  const { leads, events } = generateWorkload({ seed: SEED, leads: LEADS, now: NOW });

  // The sum keeps the optimizer from discarding results nobody reads.
  let sink = 0;
  const scoreAll = (model: ScoringModel) => () => {
    let sum = 0;
    for (const lead of leads) sum += scoreLead(model, lead, NOW).score;
    sink += sum;
    return leads.length;
  };
  progress('engine: timing fit-only, full and json-rules-engine scoring, round by round');
  const rates = await measureRates({
    fitOnly: scoreAll(fitModel),
    full: scoreAll(fullModel),
    jsonRulesEngine: async () => {
      for (const lead of leads) sink += await jsonRulesEngineFit(lead.profile);
      return leads.length;
    },
    eventReadFloor: () => {
      sink += readEvents(leads);
      return leads.length;
    },
  });
  if (Number.isNaN(sink)) progress('engine: scores included NaN');

  // Checked after timing: run lead by lead in turn before it, the engines would warm up on each other's
  // heap (V8 decides allocation placement from what survives), not each on its own as in the warm-up.
  progress('engine: checking that both engines agree on fit');
  let mismatches = 0;
  const stages: Record<string, number> = {};
  const grades: Record<string, number> = {};
  for (const lead of leads) {
    const ours = scoreLead(fitModel, lead, NOW).fit;
    const theirs = await jsonRulesEngineFit(lead.profile);
    if (Math.abs(ours - theirs) > 1e-9) mismatches++;
    const full = scoreLead(fullModel, lead, NOW);
    stages[full.stage] = (stages[full.stage] ?? 0) + 1;
    grades[full.grade] = (grades[full.grade] ?? 0) + 1;
  }

  const { fitOnly, full, jsonRulesEngine, eventReadFloor } = rates;
  // Ratios per round, then their median: both sides of a ratio ran under the same load.
  const speedups = fitOnly.roundsPerSecond.map(
    (rate, i) => rate / (jsonRulesEngine.roundsPerSecond[i] ?? Number.NaN),
  );

  const fitSpeedup = median(speedups);
  return {
    leads: leads.length,
    events,
    seed: SEED,
    at: NOW.toISOString(),
    engine: 'lib/scoring bundled by esbuild with the CDK options, as the functions ship it',
    fitOnlyLeadsPerSec: Math.round(fitOnly.perSecond),
    fullLeadsPerSec: Math.round(full.perSecond),
    /** Only reading each event's type, id and time, no scoring: full scoring cannot be faster than this. */
    eventReadFloorLeadsPerSec: Math.round(eventReadFloor.perSecond),
    jsonRulesEngineLeadsPerSec: Math.round(jsonRulesEngine.perSecond),
    fitSpeedupVsJsonRulesEngine: Math.round(fitSpeedup * 10) / 10,
    mismatches,
    ok: mismatches === 0,
    rounds: {
      fitOnlyLeadsPerSec: fitOnly.roundsPerSecond.map(Math.round),
      fullLeadsPerSec: full.roundsPerSecond.map(Math.round),
      jsonRulesEngineLeadsPerSec: jsonRulesEngine.roundsPerSecond.map(Math.round),
      eventReadFloorLeadsPerSec: eventReadFloor.roundsPerSecond.map(Math.round),
    },
    distribution: { stages, grades },
    targets: {
      ...TARGETS,
      met: fitSpeedup >= TARGETS.fitSpeedupVsJsonRulesEngine && full.perSecond >= TARGETS.fullLeadsPerSec,
    },
  };
}
