// `leadscore rules activate VERSION`: makes a stored version the one the workers score with.
import { currentUser } from '../../rules-admin/admin-runtime';
import { parseVersion, withAdmin } from '../../rules-admin/admin-session';
import { defineCommand } from '../command';

export const rulesActivateCommand = defineCommand({
  path: ['rules', 'activate'],
  summary: 'Make a stored rules version the active one',
  usage: 'VERSION',
  description:
    'Workers pick the new version up within RULES_TTL_SECONDS. Leads are rescored as their events arrive;\n' +
    'run `leadscore rescore` to rescore every lead now.',
  options: {},
  positionals: { min: 1, max: 1, names: 'VERSION' },
  async run({ positionals: [versionText] }, { io, now }) {
    const version = parseVersion(versionText);
    return withAdmin(process.env, {}, async (admin) => {
      const { pointer, changed } = await admin.rules.activate(version, {
        activatedBy: currentUser(process.env),
        now: now(),
      });
      const was = pointer.previous === undefined ? '' : ` (was ${pointer.previous})`;
      const state = changed ? `is now active${was}` : 'is already active';
      io.stdout.write(`version ${version} of rules "${admin.rules.rulesetName}" ${state}\n`);
      return 0;
    });
  },
});
