// `leadscore rules rollback`: re-activates the version that was active before the current one.
import { currentUser } from '../../rules-admin/admin-runtime';
import { withAdmin } from '../../rules-admin/admin-session';
import { defineCommand } from '../command';
import { CommandFailedError } from '../errors';

export const rulesRollbackCommand = defineCommand({
  path: ['rules', 'rollback'],
  summary: 'Re-activate the previously active rules version',
  usage: '',
  description:
    'Rolling back twice returns to where you started: the rolled-back version becomes the previous one.',
  options: {},
  positionals: { min: 0, max: 0 },
  async run(_args, { io, now }) {
    return withAdmin(process.env, {}, async (admin) => {
      const pointer = await admin.rules.activePointer();
      if (!pointer) throw new CommandFailedError('no version is active, so there is nothing to roll back');
      if (pointer.previous === undefined) {
        throw new CommandFailedError(
          `no version was active before ${pointer.version}, so there is nothing to roll back to`,
        );
      }
      await admin.rules.activate(pointer.previous, { activatedBy: currentUser(process.env), now: now() });
      io.stdout.write(`rolled back: version ${pointer.previous} is active again (was ${pointer.version})\n`);
      return 0;
    });
  },
});
