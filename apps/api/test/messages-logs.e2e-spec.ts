import fs from 'node:fs';
import { connectSocket, signup } from './support/clients';
import { befriend, newClientId, sendText } from './support/messaging';
import { createTestApp, dropDatabase, TestApp } from './support/test-app';

// In a file of its own: nestjs-pino keeps its first logger for code outside HTTP requests
// (socket handlers), so this app must be the first one booted in the worker's module registry.
describe('logging', () => {
  let t: TestApp;
  const captured: string[] = [];
  const originals = { write: fs.write, writeSync: fs.writeSync, stdout: process.stdout.write };

  beforeAll(async () => {
    // pino writes to fd 1 through sonic-boom (fs.write / fs.writeSync), not process.stdout.write.
    const record = (chunk: unknown) =>
      captured.push(Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (fs as any).writeSync = (fd: number, chunk: unknown, ...rest: unknown[]) => {
      if (fd === 1 || fd === 2) {
        record(chunk);
        return Buffer.byteLength(Buffer.isBuffer(chunk) ? chunk : String(chunk));
      }
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return (originals.writeSync as any)(fd, chunk, ...rest);
    };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (fs as any).write = (fd: number, chunk: unknown, ...rest: unknown[]) => {
      if (fd === 1 || fd === 2) {
        record(chunk);
        const callback = rest.find((arg) => typeof arg === 'function') as
          ((e: null, n: number) => void) | undefined;
        callback?.(null, Buffer.byteLength(Buffer.isBuffer(chunk) ? chunk : String(chunk)));
        return;
      }
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return (originals.write as any)(fd, chunk, ...rest);
    };
    process.stdout.write = ((chunk: unknown) => {
      record(chunk);
      return true;
    }) as typeof process.stdout.write;
    t = await createTestApp({ label: 'msglogs', env: { LOG_LEVEL: 'debug' } });
  });
  afterAll(async () => {
    await dropDatabase(t);
    await t.close();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (fs as any).write = originals.write;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (fs as any).writeSync = originals.writeSync;
    process.stdout.write = originals.stdout;
  });

  it('never writes message text to the logs, even at debug level', async () => {
    const alice = await signup(t.url);
    const bob = await signup(t.url);
    await befriend(t.url, alice, bob);
    const socket = await connectSocket(t.url, alice.accessToken);
    const marker = `secret-marker-${newClientId()}`;
    try {
      const message = await sendText(socket, bob.id, `the text ${marker} inside`);
      // A refused send (too long) must not leak its text either.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      await (socket as any).timeout(5000).emitWithAck('send_private_message', {
        recipientId: bob.id,
        text: `${marker}${'x'.repeat(5000)}`,
        clientId: newClientId(),
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const output = captured.join('');
      // The capture works: the debug line about the stored message (id, no text) is there.
      expect(output).toContain(message.id);
      expect(output).not.toContain(marker);
    } finally {
      socket.close();
    }
  });
});
