// Opening and writing the files a user names, with failures said in words (no errno codes, no stack traces).
import { open, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { CommandFailedError } from './errors';

type Reasons = Readonly<Record<string, (path: string) => string>>;

const READ_REASONS: Reasons = {
  ENOENT: () => 'no such file',
  EISDIR: () => 'it is a directory',
  EACCES: () => 'permission denied',
  EPERM: () => 'permission denied',
};

const WRITE_REASONS: Reasons = {
  ENOENT: (path) => `directory ${dirname(path)} does not exist`,
  ENOTDIR: (path) => `${dirname(path)} is not a directory`,
  EISDIR: () => 'it is a directory',
  EACCES: () => 'permission denied',
  EPERM: () => 'permission denied',
  EROFS: () => 'the file system is read-only',
  ENOSPC: () => 'no space left on the device',
};

/** `cannot read|write PATH: why`, the errno code said in words when it is a known one. */
function failure(verb: 'read' | 'write', reasons: Reasons, path: string, error: unknown): CommandFailedError {
  const code = (error as { code?: unknown }).code;
  const reason = typeof code === 'string' ? reasons[code]?.(path) : undefined;
  return new CommandFailedError(
    `cannot ${verb} ${path}: ${reason ?? (error instanceof Error ? error.message : String(error))}`,
  );
}

const unreadable = (path: string, error: unknown) => failure('read', READ_REASONS, path, error);

export async function writeTextFile(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text, 'utf8');
  } catch (error) {
    throw failure('write', WRITE_REASONS, path, error);
  }
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
