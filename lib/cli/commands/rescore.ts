// `leadscore rescore`: rescores every lead now (resumable), emitting write-backs only where something changed.
import { randomBytes } from 'node:crypto';
import { activeModel } from '../../leads/active-model';
import { compileRules } from '../../scoring';
import { ownFieldSet } from '../../config/crm-fields';
import { currentUser } from '../../rules-admin/admin-runtime';
import { parseVersion, withAdmin } from '../../rules-admin/admin-session';
import { ProgressReporter } from '../../rules-admin/progress';
import { resumeRescore, startRescore, type RescoreSummary } from '../../rules-admin/rescore-all';
import { defineCommand } from '../command';
import { positiveInteger } from './rules-simulate';

/** Sortable and unique enough for a person to type back: 20240601T120000Z-3f9a. */
export function newJobId(at: Date): string {
  return `${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(2).toString('hex')}`;
}

function summaryLines(summary: RescoreSummary): string[] {
  const lines = [
    `rescore job ${summary.job.id}${summary.job.version === undefined ? '' : ` (version ${summary.job.version})`}: ` +
      `${summary.scanned} leads read, ${summary.rescored} rescored, ${summary.unchanged} already up to date, ` +
      `${summary.inactive} not active (merged, deleted or erased), ` +
      `${summary.announced} write-backs, ${summary.failed} failed`,
  ];
  if (summary.failedLeadIds.length > 0)
    lines.push(`failed leads (first ${summary.failedLeadIds.length}): ${summary.failedLeadIds.join(', ')}`);
  if (!summary.complete)
    lines.push(`stopped before the end; continue with: leadscore rescore --resume ${summary.job.id}`);
  return lines;
}

export const rescoreCommand = defineCommand({
  path: ['rescore'],
  summary: 'Rescore every lead with the active (or a given) rules version, resumably',
  usage: '[--version V] [--segments N] [--resume JOB]',
  description: [
    'Scans the leads table in parallel segments and rescores each lead the way the scoring worker does',
    '(conditional writes; a write-back is announced only when score, grade, stage or reasons change).',
    'Progress is checkpointed per segment in the config table: after Ctrl-C or a crash, --resume JOB',
    'continues where it stopped. Needs LEADS_TABLE, CONFIG_TABLE and WRITEBACK_QUEUE_URL.',
  ].join('\n'),
  options: {
    version: {
      type: 'string',
      valueName: 'V',
      description: 'Rules version to score with (default: the active one)',
    },
    segments: { type: 'string', valueName: 'N', description: 'Parallel scan segments (default 4)' },
    resume: { type: 'string', valueName: 'JOB', description: 'Continue an interrupted job' },
    'page-size': { type: 'string', valueName: 'N', description: 'Items per scan page (default 200)' },
  },
  positionals: { min: 0, max: 0 },
  async run({ options }, { io, now }) {
    const segments = positiveInteger('segments', options.segments, 4, 64);
    const pageSize = positiveInteger('page-size', options['page-size'], 200, 1000);
    const pinned = options.version === undefined ? undefined : parseVersion(options.version, '--version');
    return withAdmin(process.env, { leads: true, writeBack: true }, async (admin) => {
      let stopping = false;
      const onSignal = () => {
        stopping = true;
        io.stderr.write('\nstopping after the pages in flight…\n');
      };
      process.once('SIGINT', onSignal);
      try {
        const existing = options.resume === undefined ? undefined : await admin.jobs.getJob(options.resume);
        const version = existing ? existing.job.version : pinned;
        const model =
          version === undefined
            ? activeModel(admin.rules, 30_000)
            : await (async () => {
                const stored = await admin.rules.getVersion(version);
                const scored = { version, model: compileRules(stored.rules) };
                return async () => scored;
              })();
        const deps = {
          scanner: admin.leads!,
          jobs: admin.jobs,
          process: {
            store: admin.leads!,
            model,
            writeBacks: admin.writeBacks!,
            ownFields: ownFieldSet(admin.config.scoreFields),
            now: () => new Date(),
            onError: (error: unknown, leadId: string) =>
              io.stderr.write(
                `rescore: ${leadId}: ${error instanceof Error ? error.message : String(error)}\n`,
              ),
          },
        };
        if (version !== undefined) {
          const active = await admin.rules.activePointer();
          if (active?.version !== version) {
            io.stderr.write(
              `rescore: version ${version} is not the active one (${active?.version ?? 'none'}); ` +
                'the workers will score each lead with the active version on its next event\n',
            );
          }
        }
        const already = existing?.segments.reduce((sum, segment) => sum + segment.scanned, 0) ?? 0;
        const progress = new ProgressReporter(io.stderr, {
          label: 'rescore',
          total: await admin.approximateLeadCount(),
          initial: already,
        });
        const run = {
          pageSize,
          shouldStop: () => stopping,
          onProgress: (count: number) => progress.add(count),
        };
        const summary =
          options.resume !== undefined
            ? await resumeRescore(deps, options.resume, run)
            : await startRescore(
                deps,
                {
                  id: newJobId(now()),
                  ...(version === undefined ? {} : { version }),
                  segments,
                  createdAt: now().toISOString(),
                  createdBy: currentUser(process.env),
                },
                run,
              );
        progress.finish(summary.complete);
        io.stdout.write(`${summaryLines(summary).join('\n')}\n`);
        return summary.complete && summary.failed === 0 ? 0 : 1;
      } finally {
        process.removeListener('SIGINT', onSignal);
      }
    });
  },
});
