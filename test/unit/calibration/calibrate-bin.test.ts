// `leadscore calibrate --out /dev/stdout` through the real executable, where stdout is a pipe or a file.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../../../lib/calibration/random';
import { parseRulesText } from '../../../lib/scoring';
import { ROOT } from '../../support/run-bin';

const BIN = join(ROOT, 'bin/leadscore.js');
const dir = mkdtempSync(join(tmpdir(), 'leadscore-calibrate-bin-'));
const csv = join(dir, 'leads.csv');

beforeAll(() => {
  const random = seededRandom(3);
  const lines = ['Plan,Region,Won'];
  for (let i = 0; i < 400; i++) {
    const plan = ['Free', 'Pro', 'Team'][Math.floor(random() * 3)] as string;
    const chance = plan === 'Team' ? 0.6 : plan === 'Pro' ? 0.35 : 0.1;
    lines.push(`${plan},${random() < 0.5 ? 'EU' : 'US'},${random() < chance ? 'yes' : 'no'}`);
  }
  writeFileSync(csv, `${lines.join('\n')}\n`);
});

const ARGS = [BIN, 'calibrate', '--data', csv, '--outcome', 'Won', '--out', '/dev/stdout'];

describe('leadscore calibrate --out /dev/stdout', () => {
  it('exits when the reader stops after a few lines: `| head -3`', async () => {
    // A shell pipe, as the audit ran it: node's own stdio pipes are sockets, which /dev/stdout cannot open.
    const quoted = [process.execPath, ...ARGS].map((word) => `'${word}'`).join(' ');
    const child = spawn('sh', ['-c', `${quoted} 2>/dev/null | head -3`], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let seen = '';
    child.stdout.on('data', (chunk: Buffer) => (seen += chunk.toString()));
    // It used to read /dev/stdout back, waiting forever on its own pipe: stop the whole group then.
    const timer = setTimeout(() => process.kill(-(child.pid as number), 'SIGKILL'), 20_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);

    expect(code).toBe(0);
    expect(seen.split('\n')).toHaveLength(4);
    expect(seen).toMatch(/^# Learned by `leadscore calibrate` from leads\.csv/);
  }, 30_000);

  it('redirected to a file, the file holds the rules alone: the summary goes to stderr', async () => {
    const file = join(dir, 'redirected.yaml');
    const fd = openSync(file, 'w');
    const child = spawn(process.execPath, ARGS, { cwd: ROOT, stdio: ['ignore', fd, 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    closeSync(fd);

    const text = readFileSync(file, 'utf8');
    expect(code).toBe(0);
    expect(parseRulesText(text).ok).toBe(true);
    expect(text).not.toContain('Lift by decile');
    expect(stderr).toContain('Wrote the rules to stdout');
  }, 30_000);
});
