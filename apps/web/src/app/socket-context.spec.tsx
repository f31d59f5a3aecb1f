import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { FakeSocket } from '../test-utils/harness';
import { RESYNC_COALESCE_MS, SocketContext, useOnConnect } from './socket-context';

describe('useOnConnect', () => {
  afterEach(() => jest.useRealTimers());

  function setUp() {
    const socket = new FakeSocket();
    const handler = jest.fn();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <SocketContext.Provider
        value={{ socket: socket.asSocket(), status: 'connected', hasConnected: true }}
      >
        {children}
      </SocketContext.Provider>
    );
    const view = renderHook(() => useOnConnect(handler), { wrapper });
    return { socket, handler, view };
  }

  it('catches up on a reconnect', () => {
    const { socket, handler } = setUp();
    act(() => socket.serverEmit('connect', undefined));
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('catches up once when the server announces resyncs after a Redis outage', () => {
    jest.useFakeTimers();
    const { socket, handler } = setUp();
    act(() => {
      // One per API process that noticed Redis is back.
      socket.serverEmit('resync', { reason: 'redis-recovered' });
      socket.serverEmit('resync', { reason: 'redis-recovered' });
      socket.serverEmit('resync', { reason: 'redis-recovered' });
    });
    expect(handler).not.toHaveBeenCalled();
    act(() => jest.advanceTimersByTime(RESYNC_COALESCE_MS));
    expect(handler).toHaveBeenCalledTimes(1);
    act(() => socket.serverEmit('resync', { reason: 'redis-recovered' }));
    act(() => jest.advanceTimersByTime(RESYNC_COALESCE_MS));
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('stops listening when unmounted', () => {
    jest.useFakeTimers();
    const { socket, handler, view } = setUp();
    act(() => socket.serverEmit('resync', { reason: 'redis-recovered' }));
    view.unmount();
    act(() => jest.advanceTimersByTime(RESYNC_COALESCE_MS));
    expect(handler).not.toHaveBeenCalled();
    expect(socket.listenerCount('resync')).toBe(0);
  });
});
