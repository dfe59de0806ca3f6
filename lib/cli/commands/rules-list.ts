// `leadscore rules list`: the rule set's versions, newest first, with the active one marked.
import { withAdmin } from '../../rules-admin/admin-session';
import { versionsTable } from '../../rules-admin/versions';
import { defineCommand } from '../command';

export const rulesListCommand = defineCommand({
  path: ['rules', 'list'],
  summary: 'List the stored rules versions (* = active)',
  usage: '',
  options: {},
  positionals: { min: 0, max: 0 },
  async run(_args, { io }) {
    return withAdmin(process.env, {}, async (admin) => {
      const [versions, active] = await Promise.all([admin.rules.listVersions(), admin.rules.activePointer()]);
      if (versions.length === 0) {
        io.stdout.write(
          `no versions of rules "${admin.rules.rulesetName}" yet (leadscore rules push FILE)\n`,
        );
        return 0;
      }
      io.stdout.write(`${versionsTable(versions, active).join('\n')}\n`);
      if (active) {
        const previous = active.previous === undefined ? '' : `; rollback would return to ${active.previous}`;
        io.stdout.write(
          `\nactive: ${active.version}, since ${active.activatedAt} by ${active.activatedBy}${previous}\n`,
        );
      } else {
        io.stdout.write('\nno version is active (leadscore rules activate VERSION)\n');
      }
      return 0;
    });
  },
});
