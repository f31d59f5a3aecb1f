/**
 * Images are API paths that need the bearer token, so they are fetched and shown as blob:
 * URLs. One fetch per path, shared by every bubble showing it; the object URL is revoked
 * once nothing has used it for a little while (a remount reuses it instead of refetching).
 */
import { createStore } from '../../lib/store';

interface Entry {
  url: string | null;
  promise: Promise<string>;
  refs: number;
  revokeTimer: ReturnType<typeof setTimeout> | null;
}

const REVOKE_AFTER_MS = 30_000;
/** On sign-out every image of the previous account is dropped. */
const media = createStore(() => new Map<string, Entry>(), {
  name: 'media',
  dispose: (entries) => {
    for (const entry of entries.values()) {
      if (entry.revokeTimer) clearTimeout(entry.revokeTimer);
      if (entry.url) URL.revokeObjectURL(entry.url);
    }
  },
});
const entries = () => media.get();

export type BlobLoader = (path: string) => Promise<Blob>;

export interface MediaHandle {
  promise: Promise<string>;
  release(): void;
}

export function peekMedia(path: string | null | undefined): string | null {
  return (path && entries().get(path)?.url) || null;
}

export function acquireMedia(path: string, load: BlobLoader): MediaHandle {
  let entry = entries().get(path);
  if (!entry) {
    const created: Entry = { url: null, promise: Promise.resolve(''), refs: 0, revokeTimer: null };
    created.promise = load(path).then(
      (blob) => {
        const url = URL.createObjectURL(blob);
        if (entries().get(path) === created) created.url = url;
        else URL.revokeObjectURL(url); // cleared while loading
        return url;
      },
      (error: unknown) => {
        if (entries().get(path) === created) entries().delete(path); // let a later mount retry
        throw error;
      },
    );
    entries().set(path, created);
    entry = created;
  }
  const held = entry;
  held.refs += 1;
  if (held.revokeTimer) {
    clearTimeout(held.revokeTimer);
    held.revokeTimer = null;
  }
  let released = false;
  return {
    promise: held.promise,
    release() {
      if (released) return;
      released = true;
      held.refs -= 1;
      if (held.refs > 0) return;
      held.revokeTimer = setTimeout(() => {
        if (held.refs > 0 || entries().get(path) !== held) return;
        entries().delete(path);
        if (held.url) URL.revokeObjectURL(held.url);
      }, REVOKE_AFTER_MS);
    },
  };
}
