// `leadscore rules simulate FILE`: what a candidate rules file would change for every stored lead, before publishing.
import { rangeProblem } from '../../number-range';
import { resolveRules, withAdmin } from '../../rules-admin/admin-session';
import { formatSimulation } from '../../rules-admin/format-simulation';
import { forEachLeadPage } from '../../rules-admin/lead-scan';
import { ProgressReporter } from '../../rules-admin/progress';
import { Simulation } from '../../rules-admin/simulate';
import { defineCommand } from '../command';
import { UsageError } from '../errors';
import { parseIsoInstant, SCORING_TIME_OPTION } from '../iso-time';

export function positiveInteger(
  name: string,
  text: string | undefined,
  fallback: number,
  max = 1_000_000,
): number {
  if (text === undefined) return fallback;
  // Digits only: `1e3` and `0x10` are numbers to Number() but not what anyone types for a count.
  const value = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  const problem = rangeProblem(value, { min: 1, max, whole: true });
  if (problem !== undefined) throw new UsageError(`--${name} '${text}' ${problem}`);
  return value;
}

export const rulesSimulateCommand = defineCommand({
  path: ['rules', 'simulate'],
  summary: 'Score every stored lead under candidate rules and the active ones, and report what changes',
  usage: 'FILE [--at ISO] [--top N] [--json] [--segments N]',
  description: [
    'Scans the leads table (LEADS_TABLE; active leads, their profile and events as stored) and scores each',
    'lead under the active rules and under FILE (or a version number) at one time. Prints the grade and',
    'stage transition matrices (rows: before, columns: after), how many leads cross each stage threshold',
    'up or down, and the biggest movers with their reasons. Nothing is written.',
  ].join('\n'),
  options: {
    at: SCORING_TIME_OPTION,
    top: { type: 'string', valueName: 'N', description: 'How many movers to list (default 10)' },
    json: { type: 'boolean', description: 'Print the report as one JSON document' },
    segments: { type: 'string', valueName: 'N', description: 'Parallel scan segments (default 4)' },
  },
  positionals: { min: 1, max: 1, names: 'FILE (candidate rules, or a version number)' },
  async run({ positionals: [file = ''], options }, { io, now }) {
    const at = options.at === undefined ? now() : parseIsoInstant(options.at);
    if (at === undefined) throw new UsageError(`--at '${options.at}' is not an ISO 8601 time with a zone`);
    const top = positiveInteger('top', options.top, 10, 1000);
    const segments = positiveInteger('segments', options.segments, 4, 64);
    return withAdmin(process.env, { leads: true }, async (admin) => {
      const [active, candidate] = await Promise.all([
        resolveRules(admin, 'active'),
        resolveRules(admin, file),
      ]);
      const simulation = new Simulation(active.model, candidate.model, at, top);
      const progress = new ProgressReporter(io.stderr, {
        label: 'simulate',
        total: await admin.approximateLeadCount(),
      });
      await forEachLeadPage(admin.leads!, { segments, pageSize: 1000 }, (leads) => {
        for (const lead of leads) simulation.add(lead);
        progress.add(leads.length);
      });
      progress.finish(true);
      const report = simulation.report();
      if (options.json) {
        io.stdout.write(
          `${JSON.stringify({ active: active.label, candidate: candidate.label, ...report })}\n`,
        );
      } else {
        io.stdout.write(
          `${formatSimulation(report, { active: active.label, candidate: candidate.label }).join('\n')}\n`,
        );
      }
      return 0;
    });
  },
});
