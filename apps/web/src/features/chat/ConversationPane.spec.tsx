import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  alice,
  bob,
  renderConversation as setup,
  storedText as stored,
} from '../../test-utils/harness';

/** TanStack Query notifies observers on a timer: let it run. */
const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 20)));

const bubbles = () => screen.getAllByTestId('message');
const texts = () => bubbles().map((b) => within(b).queryByTestId('message-text')?.textContent);

describe('conversation pane', () => {
  it('sends optimistically, settles on ack and ignores the duplicate echo', async () => {
    const user = userEvent.setup();
    const { socket } = setup();
    expect(await screen.findByText('hi alice')).toBeInTheDocument();

    await user.type(screen.getByTestId('composer-input'), 'hello there{Enter}');

    const [send] = socket.emitsOf('send_private_message');
    expect(send.payload).toMatchObject({ recipientId: bob.id, text: 'hello there' });
    expect(send.timeout).toBe(10_000);
    const clientId = (send.payload as { clientId: string }).clientId;
    const last = bubbles().at(-1)!;
    expect(within(last).getByTestId('message-status')).toHaveTextContent('Sending…');
    expect(screen.getByTestId('composer-input')).toHaveValue('');

    const storedMessage = stored(3, alice.id, 'hello there', clientId);
    act(() => send.ack!(null, { ok: true, message: storedMessage }));
    await waitFor(() =>
      expect(within(bubbles().at(-1)!).getByTestId('message-status')).toHaveTextContent('Sent'),
    );

    act(() => socket.serverEmit('message_sent', { message: storedMessage }));
    act(() => socket.serverEmit('new_message', { message: storedMessage }));
    await settle();
    expect(texts()).toEqual(['hi alice', 'hi bob', 'hello there']);

    act(() => socket.serverEmit('message_read', { contactId: bob.id, readerId: bob.id, seq: 3 }));
    await waitFor(() =>
      expect(within(bubbles().at(-1)!).getByTestId('message-status')).toHaveTextContent('Read'),
    );
  });

  it('keeps the order of quick sends, on the socket and on screen', async () => {
    const { socket } = setup();
    await screen.findByText('hi alice');
    const input = screen.getByTestId('composer-input');
    // Synchronous events: no microtask runs between the three sends.
    for (const text of ['one', 'two', 'three']) {
      fireEvent.change(input, { target: { value: text } });
      fireEvent.keyDown(input, { key: 'Enter' });
    }
    await settle();
    const sent = socket
      .emitsOf('send_private_message')
      .map((e) => (e.payload as { text: string }).text);
    expect(sent).toEqual(['one', 'two', 'three']);
    expect(texts()).toEqual(['hi alice', 'hi bob', 'one', 'two', 'three']);
  });

  it('marks a timed-out send as failed and retries with the same clientId', async () => {
    const user = userEvent.setup();
    const { socket } = setup();
    await screen.findByText('hi alice');
    await user.type(screen.getByTestId('composer-input'), 'are you there?{Enter}');
    const [first] = socket.emitsOf('send_private_message');

    act(() => first.ack!(new Error('operation has timed out')));
    const failed = bubbles().at(-1)!;
    await waitFor(() =>
      expect(within(failed).getByTestId('message-status')).toHaveTextContent('Not sent'),
    );

    await user.click(within(failed).getByRole('button', { name: 'Retry' }));
    const [, second] = socket.emitsOf('send_private_message');
    expect(second.payload).toEqual(first.payload);
    await waitFor(() =>
      expect(within(bubbles().at(-1)!).getByTestId('message-status')).toHaveTextContent('Sending…'),
    );
  });

  it('appends incoming messages, announces them and shows typing', async () => {
    const { socket } = setup();
    await screen.findByText('hi alice');

    act(() => socket.serverEmit('typing', { userId: bob.id, isTyping: true }));
    expect(screen.getByTestId('typing-indicator')).toHaveTextContent('bob is typing…');

    act(() => socket.serverEmit('new_message', { message: stored(3, bob.id, 'news!') }));
    act(() => socket.serverEmit('new_message', { message: stored(3, bob.id, 'news!') }));
    await waitFor(() => expect(texts()).toEqual(['hi alice', 'hi bob', 'news!']));
    expect(screen.queryByTestId('typing-indicator')).toBeNull();
    expect(screen.getByTestId('message-announcer')).toHaveTextContent('bob said: news!');
  });

  it('emits mark_read for the newest message while it is on screen', async () => {
    jest.spyOn(document, 'hasFocus').mockReturnValue(true);
    const { socket } = setup();
    await screen.findByText('hi alice');
    await waitFor(() =>
      expect(socket.emitsOf('mark_read').at(-1)?.payload).toEqual({ contactId: bob.id, seq: 2 }),
    );
    act(() => socket.serverEmit('new_message', { message: stored(3, bob.id, 'again') }));
    await waitFor(() =>
      expect(socket.emitsOf('mark_read').at(-1)?.payload).toEqual({ contactId: bob.id, seq: 3 }),
    );
  });

  it('bumps the unread badge for a conversation that is not open', async () => {
    const { socket, router } = setup();
    await screen.findByText('hi alice');
    await act(() => router.navigate('/chat'));
    act(() => socket.serverEmit('new_message', { message: stored(3, bob.id, 'psst') }));
    const item = screen.getByTestId('contact-item');
    await waitFor(() => expect(within(item).getByTestId('unread-badge')).toHaveTextContent('1'));
    expect(within(item).getByTestId('contact-preview')).toHaveTextContent('psst');
    // The duplicate does not count twice.
    act(() => socket.serverEmit('new_message', { message: stored(3, bob.id, 'psst') }));
    await settle();
    expect(within(item).getByTestId('unread-badge')).toHaveTextContent('1');
  });

  it('renders message text as text, never as HTML', async () => {
    setup([stored(1, bob.id, '<img src=x onerror=alert(1)><b>bold</b>')]);
    expect(await screen.findByText('<img src=x onerror=alert(1)><b>bold</b>')).toBeInTheDocument();
    expect(document.querySelector('.message-text img, .message-text b')).toBeNull();
  });
});
