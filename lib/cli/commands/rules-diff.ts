// `leadscore rules diff A B`: what changes from A to B, rule by rule (versions, `active`, or rules files).
import { diffRules, formatDiff, isEmptyDiff } from '../../rules-admin/diff-rules';
import {
  isStoredRef,
  resolveRules,
  resolveRulesFile,
  withAdmin,
  type ResolvedRules,
} from '../../rules-admin/admin-session';
import { defineCommand } from '../command';

export const rulesDiffCommand = defineCommand({
  path: ['rules', 'diff'],
  summary: 'Compare two rules versions rule by rule (versions, "active", or files)',
  usage: 'A B',
  description: [
    'A and B are version numbers, `active`, or rules files, e.g. `leadscore rules diff active my-rules.yaml`',
    '(two files are compared without the config table).',
    'Lines: `+ id` added, `- id` removed, `~ id` changed with each changed property (before → after),',
    'then changes of name, decay, re-engagement, limits, grades and stages.',
  ].join('\n'),
  options: {},
  positionals: { min: 2, max: 2, names: 'A and B (versions, "active" or files)' },
  async run({ positionals: [a = '', b = ''] }, { io }) {
    const compare = async (resolve: (ref: string) => Promise<ResolvedRules>) => {
      const [before, after] = await Promise.all([resolve(a), resolve(b)]);
      const diff = diffRules(before.rules, after.rules);
      io.stdout.write(`${before.label} → ${after.label}\n`);
      io.stdout.write(isEmptyDiff(diff) ? 'no differences\n' : `${formatDiff(diff).join('\n')}\n`);
      return 0;
    };
    // Two files need no config table (nor CONFIG_TABLE).
    if (!isStoredRef(a) && !isStoredRef(b)) return compare(resolveRulesFile);
    return withAdmin(process.env, {}, (admin) => compare((ref) => resolveRules(admin, ref)));
  },
});
