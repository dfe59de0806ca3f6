// `npm start`'s options, checked before anything starts, and the lines it prints for the CLI.
import { execFileSync } from 'node:child_process';
import { cliExports, parseStartOptions, shellQuote, startFailureMessage } from '../../../local/start-cli';

describe('parseStartOptions', () => {
  it('defaults to HubSpot on port 4000', () => {
    expect(parseStartOptions([])).toEqual({ crm: 'hubspot', port: 4000, verbose: false, help: false });
  });

  it('takes the CRM, port, rules file and verbosity', () => {
    expect(
      parseStartOptions(['--crm', 'salesforce', '--port', '65535', '--rules', 'r.yaml', '--verbose']),
    ).toEqual({ crm: 'salesforce', port: 65_535, rulesFile: 'r.yaml', verbose: true, help: false });
  });

  it.each(['abc', '0', '65536', '4300x', '-1', '1e3', ''])('refuses --port %j, with the usage', (port) => {
    expect(() => parseStartOptions([`--port=${port}`])).toThrow(
      /^--port must be a number from 1 to 65535\nusage: npm start/,
    );
  });

  it('refuses an unknown CRM or option, with the usage', () => {
    expect(() => parseStartOptions(['--crm', 'pipedrive'])).toThrow(
      /^--crm must be hubspot or salesforce\nusage/,
    );
    expect(() => parseStartOptions(['--prot', '4300'])).toThrow(/'--prot'[^]*\nusage: npm start/);
  });
});

describe('startFailureMessage', () => {
  const listenError = (code: string, port: number) =>
    Object.assign(new Error(`listen ${code}: 127.0.0.1:${port}`), { code, port });

  it('says what to do about the webhook port being taken or refused', () => {
    expect(startFailureMessage(listenError('EADDRINUSE', 4300), 4300)).toBe(
      'port 4300 is in use: stop what uses it or pick another with --port N',
    );
    expect(startFailureMessage(listenError('EACCES', 80), 80)).toMatch(/^port 80 is not open to this user/);
  });

  it('passes any other failure on as it is', () => {
    expect(startFailureMessage(listenError('EADDRINUSE', 9000), 4300)).toBe(
      'listen EADDRINUSE: 127.0.0.1:9000',
    );
    expect(startFailureMessage(new Error('rules.yaml is not a valid rules file'), 4300)).toBe(
      'rules.yaml is not a valid rules file',
    );
    expect(startFailureMessage('boom', 4300)).toBe('boom');
  });
});

describe('shellQuote', () => {
  const shellReads = (word: string) => execFileSync('sh', ['-c', `printf %s ${word}`], { encoding: 'utf8' });

  it.each([
    'http://127.0.0.1:4000/123456789012/writeback',
    '{"hubspot":{"accessToken":"pat-sandbox-hubspot-token"}}',
    "it's $HOME and `date` \\ !",
    '',
  ])('gives a word the shell reads back as %j', (value) => {
    expect(shellReads(shellQuote(value))).toBe(value);
  });

  it('leaves plain values bare', () => {
    expect(shellQuote('http://127.0.0.1:4000')).toBe('http://127.0.0.1:4000');
  });
});

describe('cliExports', () => {
  it('exports what the CLI reads, in a fixed order, and drops AWS_PROFILE, which would win over the keys', () => {
    const lines = cliExports({
      LEADSCORE_WEBHOOK_SECRETS: '{"api":{"keys":["not for the CLI"]}}',
      CONFIG_TABLE: 'leadscore-config',
      AWS_REGION: 'us-east-1',
      LEADSCORE_CRM_SECRETS: '{"hubspot":{"accessToken":"t"}}',
      WRITEBACK_QUEUE_URL: 'http://127.0.0.1:1/123456789012/writeback',
    });
    expect(lines).toEqual([
      'unset AWS_PROFILE',
      'export AWS_REGION=us-east-1',
      'export CONFIG_TABLE=leadscore-config',
      'export WRITEBACK_QUEUE_URL=http://127.0.0.1:1/123456789012/writeback',
      `export LEADSCORE_CRM_SECRETS='{"hubspot":{"accessToken":"t"}}'`,
    ]);
  });
});
