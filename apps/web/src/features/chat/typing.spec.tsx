import { act, fireEvent, render, screen } from '@testing-library/react';
import { TYPING_TIMEOUT_MS } from '@natter/contracts/client';
import { SocketContext } from '../../app/socket-context';
import { FakeSocket } from '../../test-utils/harness';
import { Composer } from './Composer';
import { TYPING_IDLE_MS, TYPING_THROTTLE_MS } from './useChatWrites';
import { clearTyping, isTyping, setTyping } from './typing-store';

beforeEach(() => jest.useFakeTimers());
afterEach(() => {
  clearTyping();
  jest.useRealTimers();
});

describe('typing indicator (receiving side)', () => {
  it('expires after TYPING_TIMEOUT_MS unless refreshed, and stops on false', () => {
    setTyping('bob', true);
    jest.advanceTimersByTime(TYPING_TIMEOUT_MS - 100);
    setTyping('bob', true); // refresh
    jest.advanceTimersByTime(TYPING_TIMEOUT_MS - 100);
    expect(isTyping('bob')).toBe(true);
    jest.advanceTimersByTime(200);
    expect(isTyping('bob')).toBe(false);
    setTyping('bob', true);
    setTyping('bob', false);
    expect(isTyping('bob')).toBe(false);
  });
});

describe('typing events (sending side)', () => {
  function renderComposer(socket: FakeSocket, onSendText = jest.fn()) {
    render(
      <SocketContext.Provider
        value={{ socket: socket.asSocket(), status: 'connected', hasConnected: true }}
      >
        <Composer
          contactId="bob"
          contactName="bob"
          attachment={null}
          attachError={null}
          onPickFile={jest.fn()}
          onAttachmentSize={jest.fn()}
          onCaptionChange={jest.fn()}
          onCancelAttachment={jest.fn()}
          onSendText={onSendText}
          onSendImage={jest.fn()}
        />
      </SocketContext.Provider>,
    );
    return screen.getByTestId('composer-input');
  }

  const typingEmits = (socket: FakeSocket) =>
    socket.emitsOf('typing').map((e) => (e.payload as { isTyping: boolean }).isTyping);

  it('sends true at most every 2 s while typing and false after 3 s idle', () => {
    const socket = new FakeSocket();
    const input = renderComposer(socket);
    fireEvent.change(input, { target: { value: 'h' } });
    act(() => jest.advanceTimersByTime(500));
    fireEvent.change(input, { target: { value: 'he' } });
    act(() => jest.advanceTimersByTime(500));
    fireEvent.change(input, { target: { value: 'hel' } });
    expect(typingEmits(socket)).toEqual([true]);
    act(() => jest.advanceTimersByTime(TYPING_THROTTLE_MS));
    fireEvent.change(input, { target: { value: 'hell' } });
    expect(typingEmits(socket)).toEqual([true, true]);
    act(() => jest.advanceTimersByTime(TYPING_IDLE_MS));
    expect(typingEmits(socket)).toEqual([true, true, false]);
  });

  it('sends false on send, and Enter sends while Shift+Enter does not', () => {
    const socket = new FakeSocket();
    const onSendText = jest.fn();
    const input = renderComposer(socket, onSendText);
    fireEvent.change(input, { target: { value: 'line one' } });
    fireEvent.keyDown(input, { key: 'Enter', shiftKey: true });
    expect(onSendText).not.toHaveBeenCalled();
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onSendText).toHaveBeenCalledWith('line one');
    expect(typingEmits(socket)).toEqual([true, false]);
    expect(input).toHaveValue('');
  });
});
