// The local HTTP gateway on a port another process holds: a rejected start, not an unhandled 'error' event.
import { createServer, type Server } from 'node:net';
import { startHttpGateway } from '../../../local/http-gateway';

describe('startHttpGateway', () => {
  let blocker: Server;
  let port: number;

  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    port = (blocker.address() as { port: number }).port;
  });

  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  it('rejects with EADDRINUSE when the port is taken', async () => {
    await expect(startHttpGateway(async () => ({ statusCode: 200 }), port)).rejects.toMatchObject({
      code: 'EADDRINUSE',
      port,
    });
  });

  it('answers through the handler once it listens', async () => {
    const gateway = await startHttpGateway(async (event) => ({ statusCode: 200, body: event.rawPath }));
    try {
      const response = await fetch(`${gateway.url}/events`, { method: 'POST', body: '{}' });
      expect([response.status, await response.text()]).toEqual([200, '/events']);
    } finally {
      await gateway.close();
    }
  });
});
