// `leadscore rules show [VERSION | active]`: one stored version (the active one by default) as YAML.
import { parseVersion, withAdmin } from '../../rules-admin/admin-session';
import { versionYaml } from '../../rules-admin/versions';
import { defineCommand } from '../command';
import { CommandFailedError } from '../errors';

export const rulesShowCommand = defineCommand({
  path: ['rules', 'show'],
  summary: 'Print a stored rules version as YAML (default: the active one)',
  usage: '[VERSION | active]',
  options: {},
  positionals: { min: 0, max: 1, names: 'VERSION' },
  async run({ positionals: [versionText = 'active'] }, { io }) {
    // `active` as rules diff and simulate take it; a bad version is a usage error before any table is read.
    const asked = versionText === 'active' ? undefined : parseVersion(versionText);
    return withAdmin(process.env, {}, async (admin) => {
      const active = await admin.rules.activePointer();
      const version = asked ?? active?.version;
      if (version === undefined) {
        throw new CommandFailedError('no version is active; name one (leadscore rules list shows them)');
      }
      io.stdout.write(versionYaml(await admin.rules.getVersion(version), active));
      return 0;
    });
  },
});
