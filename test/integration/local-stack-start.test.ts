// `npm start`'s stack refuses what it can before it starts anything: a broken rules file, a webhook port in use.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDevSecrets } from '../../local/dev-secrets';
import { startLocalStack } from '../../local/stack';

describe('startLocalStack, refused before it starts', () => {
  const secrets = createDevSecrets();
  let blocker: Server;
  let busyPort: number;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leadscore-stack-'));
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    busyPort = (blocker.address() as { port: number }).port;
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  });

  it('rejects a webhook port in use with Node’s EADDRINUSE, which `npm start` words for the user', async () => {
    await expect(startLocalStack({ secrets, port: busyPort })).rejects.toMatchObject({
      code: 'EADDRINUSE',
      port: busyPort,
    });
  });

  it('names a rules file it cannot read or that is not valid', async () => {
    await expect(startLocalStack({ secrets, rulesFile: join(dir, 'missing.yaml') })).rejects.toThrow(
      /missing\.yaml/,
    );
    const broken = join(dir, 'broken.yaml');
    writeFileSync(
      broken,
      'name: broken\nfit:\n  - id: x\n    field: title\n    matches: "(vp"\n    points: 5\n',
    );
    await expect(startLocalStack({ secrets, rulesFile: broken })).rejects.toThrow(
      /broken\.yaml is not a valid rules file/,
    );
  });
});
