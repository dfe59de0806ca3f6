// Opening the files a user names, with failures said in words (no errno codes, no stack traces).
import { open, readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { CommandFailedError } from './errors';

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

function unreadable(path: string, error: unknown): CommandFailedError {
  const code = (error as { code?: unknown }).code;
  const reason = typeof code === 'string' ? REASONS[code] : undefined;
  return new CommandFailedError(
    `cannot read ${path}: ${reason ?? (error instanceof Error ? error.message : String(error))}`,
  );
}

export async function readTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw unreadable(path, error);
  }
}

/** Opens the file before streaming it, so a missing file fails here, clearly, rather than mid-stream. */
export async function openInputStream(path: string): Promise<Readable> {
  try {
    const handle = await open(path, 'r');
    const stat = await handle.stat();
    if (stat.isDirectory()) {
      await handle.close();
      throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    }
    return handle.createReadStream();
  } catch (error) {
    throw unreadable(path, error);
  }
}
