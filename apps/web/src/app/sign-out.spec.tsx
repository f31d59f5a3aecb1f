import fs from 'node:fs';
import path from 'node:path';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { acquireMedia, peekMedia } from '../features/chat/media-cache';
import { isTyping } from '../features/chat/typing-store';
import { registeredStores } from '../lib/store';
import { bob, renderConversation, storedText } from '../test-utils/harness';

const carol = 'cccccccccccccccccccccccc';

describe('sign-out', () => {
  it('leaves nothing of the account in any store or in the query cache', async () => {
    const user = userEvent.setup();
    const { socket, store, queryClient } = renderConversation([storedText(1, bob.id, 'hi alice')]);
    expect(await screen.findByText('hi alice')).toBeInTheDocument();

    // Fill the stores the way the app does: a draft, typing, an announcement, a message for
    // a conversation not loaded yet, an image blob URL.
    await user.type(screen.getByTestId('composer-input'), 'half a thought');
    act(() => socket.serverEmit('new_message', { message: storedText(2, bob.id, 'secret') }));
    act(() => socket.serverEmit('new_message', { message: storedText(1, carol, 'early') }));
    act(() => socket.serverEmit('typing', { userId: bob.id, isTyping: true }));
    await acquireMedia('/api/media/one', async () => new Blob(['x'])).promise;
    expect(isTyping(bob.id)).toBe(true);
    expect(peekMedia('/api/media/one')).not.toBeNull();
    const filled = registeredStores().filter(({ value, initial }) => !sameValue(value, initial));
    expect(filled.map((s) => s.name)).toEqual(
      expect.arrayContaining(['announcement', 'drafts', 'early-messages', 'media', 'typing']),
    );

    act(() => store.endSession());
    await waitFor(() => expect(screen.queryByTestId('conversation')).toBeNull());

    for (const { name, value, initial } of registeredStores()) {
      expect({ name, value }).toEqual({ name, value: initial });
    }
    expect(queryClient.getQueryCache().getAll()).toHaveLength(0);
    expect(queryClient.getMutationCache().getAll()).toHaveLength(0);
    expect(isTyping(bob.id)).toBe(false);
    expect(peekMedia('/api/media/one')).toBeNull();
  });

  it('ends the session when the server says it was revoked (only its sockets hear it)', async () => {
    const { socket, store } = renderConversation([storedText(1, bob.id, 'hi alice')]);
    expect(await screen.findByText('hi alice')).toBeInTheDocument();
    act(() => socket.serverEmit('session_revoked', { sessionId: 'any' }));
    expect(store.getState()).toMatchObject({
      status: 'signedOut',
      notice: 'This session was signed out from another device.',
    });
    await waitFor(() => expect(screen.queryByTestId('conversation')).toBeNull());
  });

  it('finds no module-level state in the app outside lib/store', () => {
    // A Map, Set or `let` at the top of a module outlives the account that filled it; make it
    // with createStore (lib/store.ts) so sign-out resets it. The exceptions hold nothing of
    // an account: the theme and notification choices of this device, the clock, the audio.
    const allowed: Record<string, string[]> = {
      'lib/store.ts': ['registry'],
      'lib/theme.ts': ['listeners'],
      'lib/hooks.ts': ['nowValue', 'nowListeners', 'nowTimer'],
      'features/notifications/notification-prefs.ts': ['listeners', 'cached'],
      'features/notifications/notifier.ts': ['audio'],
    };
    const root = path.join(__dirname, '..');
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.tsx?$/.test(entry.name) && !/\.spec\.tsx?$/.test(entry.name)) {
          const file = path.relative(root, full).split(path.sep).join('/');
          const source = fs.readFileSync(full, 'utf8');
          for (const match of source.matchAll(
            /^(?:export )?(?:let (\w+)|const (\w+)\b[^=]*= new (?:Map|Set|WeakMap)\b)/gm,
          )) {
            const name = match[1] ?? match[2];
            if (!allowed[file]?.includes(name)) found.push(`${file}: ${name}`);
          }
        }
      }
    };
    walk(root);
    expect(found).toEqual([]);
  });
});

function sameValue(a: unknown, b: unknown): boolean {
  try {
    expect(a).toEqual(b);
    return true;
  } catch {
    return false;
  }
}
