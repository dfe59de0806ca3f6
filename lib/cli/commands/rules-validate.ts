// `leadscore rules validate FILE`: says whether a rules file is valid, listing every problem when it is not.
import { defineCommand } from '../command';
import { checkRulesFile } from '../load-rules';

export const rulesValidateCommand = defineCommand({
  path: ['rules', 'validate'],
  summary: 'Check a rules file (YAML or JSON) and list every problem',
  usage: 'FILE',
  description:
    'Exits 0 when the file is valid. Otherwise exits 1 and prints each problem as `path: message`,\n' +
    'e.g. `engagement[2].points: expected a number`.',
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
    for (const problem of check.problems) io.stdout.write(`${problem}\n`);
    const count = check.problems.length;
    io.stderr.write(`${file}: invalid (${count} ${count === 1 ? 'problem' : 'problems'})\n`);
    return 1;
  },
});
