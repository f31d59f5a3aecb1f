import { createApiClient } from './api-client';
import { HttpError } from './errors';
import { uploadImage } from './upload';
import { jsonResponse } from '../test-utils/harness';

/** Answers each upload with the next status; records the bearer token each one carried. */
function fakeXhr(statuses: number[]) {
  const tokens: (string | null)[] = [];
  class FakeXhr {
    status = 0;
    responseText = '';
    upload: { onprogress: ((e: ProgressEvent) => void) | null } = { onprogress: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    ontimeout: (() => void) | null = null;
    onabort: (() => void) | null = null;
    withCredentials = false;
    private headers: Record<string, string> = {};
    open() {}
    setRequestHeader(name: string, value: string) {
      this.headers[name] = value;
    }
    abort() {}
    send() {
      tokens.push(this.headers.Authorization ?? null);
      this.status = statuses[tokens.length - 1];
      this.responseText = JSON.stringify(
        this.status === 201 ? { message: { id: 'm1' } } : { message: 'no' },
      );
      setTimeout(() => this.onload?.(), 0);
    }
  }
  return { FakeXhr, tokens };
}

describe('uploadImage', () => {
  const original = globalThis.XMLHttpRequest;
  afterEach(() => {
    globalThis.XMLHttpRequest = original;
  });

  function client(refreshed: string | null) {
    const refreshes: string[] = [];
    const api = createApiClient({
      fetch: (async (input: RequestInfo | URL) => {
        refreshes.push(String(input));
        return refreshed
          ? jsonResponse(200, { accessToken: refreshed })
          : jsonResponse(401, { message: 'no session' });
      }) as typeof fetch,
      withLock: (run) => run(),
    });
    api.setAccessToken('old');
    return { api, refreshes };
  }

  const input = () => ({
    file: new File(['x'], 'a.png', { type: 'image/png' }),
    recipientId: 'bob',
    clientId: 'c1',
    onProgress: jest.fn(),
  });

  it('refreshes once on a 401 and uploads again with the new token', async () => {
    const { FakeXhr, tokens } = fakeXhr([401, 201]);
    globalThis.XMLHttpRequest = FakeXhr as unknown as typeof XMLHttpRequest;
    const { api, refreshes } = client('new');
    const upload = input();
    await expect(uploadImage(api, upload)).resolves.toEqual({ id: 'm1' });
    expect(tokens).toEqual(['Bearer old', 'Bearer new']);
    expect(refreshes).toEqual(['/api/refresh']);
    expect(upload.onProgress).toHaveBeenCalledWith(0);
  });

  it('gives up with the 401 when the refresh is refused', async () => {
    const { FakeXhr, tokens } = fakeXhr([401, 201]);
    globalThis.XMLHttpRequest = FakeXhr as unknown as typeof XMLHttpRequest;
    const { api } = client(null);
    const failure = uploadImage(api, input());
    await expect(failure).rejects.toBeInstanceOf(HttpError);
    await expect(failure).rejects.toMatchObject({ status: 401 });
    expect(tokens).toEqual(['Bearer old']);
  });
});
