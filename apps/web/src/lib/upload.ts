import {
  IMAGE_UPLOAD_FIELD,
  type ApiError,
  type MessageInfo,
  type PathOf,
  type ResponseOf,
} from '@natter/contracts/client';
import type { ApiClient } from './api-client';
import { HttpError, NetworkError } from './errors';

export interface UploadImageInput {
  file: File;
  recipientId: string;
  clientId: string;
  /** Shown with the image in the same message. */
  caption?: string;
  replyToId?: string;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

const UPLOAD_PATH = '/api/messages/image' satisfies PathOf<'POST'>;

interface XhrResult {
  status: number;
  body: unknown;
}

function parse(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function post(input: UploadImageInput, token: string | null): Promise<XhrResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', UPLOAD_PATH);
    xhr.withCredentials = false; // same origin: cookies are not needed, the bearer token is
    xhr.setRequestHeader('Accept', 'application/json');
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) input.onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => resolve({ status: xhr.status, body: parse(xhr.responseText) });
    xhr.onerror = () => reject(new NetworkError());
    xhr.ontimeout = () => reject(new NetworkError('Upload timed out'));
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    if (input.signal) {
      if (input.signal.aborted) {
        reject(new DOMException('Upload cancelled', 'AbortError'));
        return;
      }
      input.signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    const form = new FormData();
    form.append('recipientId', input.recipientId);
    form.append('clientId', input.clientId);
    if (input.caption) form.append('text', input.caption);
    if (input.replyToId) form.append('replyToId', input.replyToId);
    form.append(IMAGE_UPLOAD_FIELD, input.file, input.file.name || 'image');
    xhr.send(form);
  });
}

/**
 * POST /api/messages/image as multipart with upload progress (fetch cannot report it).
 * Same token rules as every request: a 401 refreshes once (shared) and retries once.
 */
export async function uploadImage(api: ApiClient, input: UploadImageInput): Promise<MessageInfo> {
  let attempts = 0;
  const result = await api.withTokenRetry((token) => {
    if (attempts++ > 0) input.onProgress?.(0); // the retry uploads from the start
    return post(input, token);
  });
  if (result.status < 200 || result.status >= 300) {
    const body =
      result.body && typeof result.body === 'object' ? (result.body as Partial<ApiError>) : null;
    throw new HttpError(result.status, body);
  }
  const message = (result.body as Partial<ResponseOf<'POST', typeof UPLOAD_PATH>> | undefined)
    ?.message;
  if (!message) throw new HttpError(result.status, { message: 'Unexpected upload response' });
  return message;
}
