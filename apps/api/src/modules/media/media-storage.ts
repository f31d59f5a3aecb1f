import type { Readable } from 'node:stream';

/** Where image bytes live. GridFS is the default; an object store could implement the same. */
export interface MediaStorage {
  /** Stores the bytes and returns the new file's id. */
  put(data: Buffer, info: { filename: string; contentType: string }): Promise<string>;
  /** A stream of the file's bytes; errors (e.g. missing file) are emitted on the stream. */
  get(fileId: string): Readable;
  /** Removes the file; a file that is already gone is not an error. */
  delete(fileId: string): Promise<void>;
}

export const MEDIA_STORAGE = Symbol('MEDIA_STORAGE');
