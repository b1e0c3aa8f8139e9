/**
 * Reading a file a setting names (a private key, a token file, a settings file) without trusting
 * it to be one: it must be a regular file under a size cap. `/dev/zero`, a FIFO or a directory
 * would otherwise hang or exhaust `smcp config validate` and `smcp start`. The check and the read
 * use one file descriptor, so the file cannot be swapped between them.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { constants } from 'node:fs';

/** Most bytes smcp reads from any settings, key or token file. */
export const SETTINGS_FILE_MAX_BYTES = 1024 * 1024;

/** Why a file could not be read, in words that finish "file X …". */
export class BoundedFileError extends Error {
  constructor(
    readonly reason: string,
    /** The errno code when the system refused (ENOENT, EACCES, …). */
    readonly code?: string,
  ) {
    super(reason);
    this.name = 'BoundedFileError';
  }
}

/**
 * Reads `path` as UTF-8. Throws BoundedFileError when it does not exist or cannot be opened, is
 * not a regular file (a directory, device, FIFO or socket), or is larger than `maxBytes`.
 */
export function readBoundedFile(path: string, maxBytes = SETTINGS_FILE_MAX_BYTES): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; the type check below refuses it.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(err)})`;
    throw new BoundedFileError(reason, code);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new BoundedFileError('is a directory, not a file');
    if (!stat.isFile()) throw new BoundedFileError('is not a regular file (a device, FIFO or socket)');
    if (stat.size > maxBytes) throw new BoundedFileError(`is larger than ${maxBytes} bytes (${stat.size})`);
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, buffer, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
