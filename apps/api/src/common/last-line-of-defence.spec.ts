import type { Logger } from '@nestjs/common';
import {
  describeWithoutMessage,
  installLastLineOfDefence,
  STRAY_ERRORS_PER_MINUTE_MAX,
} from './last-line-of-defence';

describe('last line of defence', () => {
  const listeners = {
    uncaughtException: process.listeners('uncaughtException'),
    unhandledRejection: process.listeners('unhandledRejection'),
  };
  afterEach(() => {
    // Leave jest's own handlers only.
    for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
      const own = listeners[event] as unknown[];
      for (const listener of process.rawListeners(event as 'uncaughtException')) {
        if (!own.includes(listener)) process.off(event, listener as never);
      }
    }
  });

  it('logs the name and frames of a stray error, never its message, and keeps serving', () => {
    const logger = { error: jest.fn() } as unknown as Logger;
    const exit = jest.fn();
    const onStrayError = installLastLineOfDefence(logger, exit);
    onStrayError('Uncaught exception', new SyntaxError('Unexpected token in {"secret":"x"}'));
    const line = (logger.error as jest.Mock).mock.calls[0][0] as string;
    expect(line).toContain('SyntaxError');
    expect(line).not.toContain('secret');
    expect(exit).not.toHaveBeenCalled();
  });

  it('exits when stray errors come in a burst', () => {
    const logger = { error: jest.fn() } as unknown as Logger;
    const exit = jest.fn();
    const onStrayError = installLastLineOfDefence(logger, exit);
    for (let i = 0; i < STRAY_ERRORS_PER_MINUTE_MAX; i++) onStrayError('x', new Error('e'));
    expect(exit).not.toHaveBeenCalled();
    onStrayError('x', new Error('e'));
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('describes non-errors by their type only', () => {
    expect(describeWithoutMessage('a string with data')).toBe('string');
  });
});
