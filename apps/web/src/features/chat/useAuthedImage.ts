import { useEffect, useState } from 'react';
import { useApi } from '../../app/auth-context';
import { errorMessage } from '../../lib/errors';
import { acquireMedia, peekMedia } from './media-cache';

export interface AuthedImage {
  url: string | null;
  error: string | null;
}

/** A blob: URL for an API image path fetched with the bearer token (null while loading). */
export function useAuthedImage(path: string | null | undefined): AuthedImage {
  const api = useApi();
  const [result, setResult] = useState<{
    path: string | null;
    url: string | null;
    error: string | null;
  }>(() => ({
    path: path ?? null,
    url: peekMedia(path),
    error: null,
  }));

  useEffect(() => {
    if (!path) return;
    let active = true;
    const handle = acquireMedia(path, async (p) =>
      (await api.fetchAuthed(p, { accept: 'image/*' })).blob(),
    );
    handle.promise.then(
      (url) => active && setResult({ path, url, error: null }),
      (error: unknown) => active && setResult({ path, url: null, error: errorMessage(error) }),
    );
    return () => {
      active = false;
      handle.release();
    };
  }, [path, api]);

  if (!path) return { url: null, error: null };
  if (result.path !== path) return { url: peekMedia(path), error: null };
  return { url: result.url, error: result.error };
}
