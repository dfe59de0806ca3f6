// `leadscore rules validate FILE`: says whether a rules file is valid, listing every problem when it is not.
import { defineCommand } from '../command';
import { checkRulesFile, writeProblems } from '../load-rules';

export const rulesValidateCommand = defineCommand({
  path: ['rules', 'validate'],
  summary: 'Check a rules file (YAML or JSON) and list every problem',
  usage: 'FILE',
  description:
    'Exits 0 when the file is valid. Otherwise exits 1 and prints each problem to stderr as\n' +
    '`path: message`, e.g. `engagement[2].points: expected a number`, or as `FILE:line:col: message`\n' +
    'for a problem of the YAML itself.',
  options: {},
  positionals: { min: 1, max: 1, names: 'FILE (the rules file to check)' },
  async run({ positionals: [file = ''] }, { io }) {
    const check = await checkRulesFile(file);
    if (check.ok) {
      const fit = check.rules.fit?.length ?? 0;
      const engagement = check.rules.engagement?.length ?? 0;
      io.stdout.write(`${file}: valid (${fit} fit rules, ${engagement} engagement rules)\n`);
      return 0;
    }
    writeProblems(io.stderr, file, check.problems);
    return 1;
  },
});
