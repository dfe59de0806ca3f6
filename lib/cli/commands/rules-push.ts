// `leadscore rules push FILE`: validates a rules file and stores it as the rule set's next version.
import { currentUser } from '../../rules-admin/admin-runtime';
import { withAdmin } from '../../rules-admin/admin-session';
import { defineCommand } from '../command';
import { checkRulesFile, writeProblems } from '../load-rules';

export const rulesPushCommand = defineCommand({
  path: ['rules', 'push'],
  summary: 'Validate a rules file and store it as a new version (optionally activate it)',
  usage: 'FILE [--activate] [--note TEXT]',
  description: [
    'Stores the rules in the config table (CONFIG_TABLE, rule set RULESET_NAME, default "default";',
    'AWS_ENDPOINT_URL_DYNAMODB for DynamoDB Local) with who (LEADSCORE_USER, else your user name),',
    'when and the note. An invalid file is not stored: every problem is listed, as `rules validate` does.',
  ].join('\n'),
  options: {
    activate: { type: 'boolean', description: 'Make the new version the active one' },
    note: {
      type: 'string',
      short: 'm',
      valueName: 'TEXT',
      description: 'Why this version (shown by rules list)',
    },
  },
  positionals: { min: 1, max: 1, names: 'FILE (the rules file to push)' },
  async run({ positionals: [file = ''], options }, { io, now }) {
    const check = await checkRulesFile(file);
    if (!check.ok) {
      writeProblems(io.stderr, file, check.problems, ', not pushed');
      return 1;
    }
    const who = currentUser(process.env);
    return withAdmin(process.env, {}, async (admin) => {
      const stored = await admin.rules.push(check.rules, {
        createdBy: who,
        now: now(),
        ...(options.note ? { note: options.note } : {}),
      });
      io.stdout.write(`pushed ${file} as rules "${stored.name}" version ${stored.version}\n`);
      if (options.activate) {
        const { pointer } = await admin.rules.activate(stored.version, { activatedBy: who, now: now() });
        const was = pointer.previous === undefined ? '' : ` (was ${pointer.previous})`;
        io.stdout.write(`version ${stored.version} is now active${was}\n`);
      }
      return 0;
    });
  },
});
