// Routing in `leadscore`: help, groups, unknown commands and options, and exit codes.
import { runCli } from './run-cli';

describe('main', () => {
  it.each([['--help'], ['-h'], ['help']])('prints the command list for %s and exits 0', async (flag) => {
    const result = await runCli([flag]);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: leadscore <command> [options]');
    expect(result.stdout).toMatch(/rules validate\s+Check a rules file/);
    expect(result.stdout).toMatch(/score\s+Score leads/);
    expect(result.stderr).toBe('');
  });

  it('prints usage on stderr and exits 2 without a command', async () => {
    const result = await runCli([]);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Usage: leadscore <command> [options]');
  });

  it.each([[['score', '--help']], [['help', 'score']]])(
    'prints the help of one command for %j',
    async (argv) => {
      const result = await runCli(argv);

      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: leadscore score --rules FILE');
      expect(result.stdout).toContain('--csv FILE');
    },
  );

  it('lists a group’s commands for `rules --help` and `help rules`', async () => {
    const viaFlag = await runCli(['rules', '--help']);
    const viaHelp = await runCli(['help', 'rules']);

    expect(viaFlag.code).toBe(0);
    expect(viaFlag.stdout).toContain('Usage: leadscore rules <command> [options]');
    expect(viaFlag.stdout).toMatch(/rules validate\s+Check a rules file/);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
  });

  it('exits 2 with the group help on stderr for a bare group', async () => {
    const result = await runCli(['rules']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: leadscore rules <command> [options]');
  });

  it('rejects an unknown command with a suggestion, exit 2', async () => {
    const result = await runCli(['socre', '--rules', 'x.yaml']);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      "leadscore: unknown command 'socre'\n" +
        "Did you mean 'leadscore score'? Run 'leadscore --help' for the list of commands.\n",
    );
  });

  it('rejects an unknown subcommand of a group', async () => {
    const result = await runCli(['rules', 'valdate', 'x.yaml']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("leadscore: unknown command 'rules valdate'");
    expect(result.stderr).toContain("Did you mean 'leadscore rules validate'?");
  });

  it('rejects an unknown top-level option', async () => {
    const result = await runCli(['--verbose']);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe("leadscore: unknown option '--verbose'\nRun 'leadscore --help' for usage.\n");
  });

  it('rejects an unknown command option, pointing at the command help', async () => {
    const result = await runCli(['score', '--rules', 'r.yaml', '--fast']);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "leadscore score: unknown option '--fast'\nRun 'leadscore score --help' for usage.\n",
    );
  });

  it('prints the version', async () => {
    const result = await runCli(['--version']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
