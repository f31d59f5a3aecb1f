import { Logger } from '@nestjs/common';

/** More stray errors than this within a minute mean something is broken: exit and be restarted. */
export const STRAY_ERRORS_PER_MINUTE_MAX = 20;

/**
 * Keeps the process serving when an error escapes every handler. Node's default is to exit,
 * because after an unexpected throw a program's in-memory state may be inconsistent. Here
 * that risk is small and bounded: every request and socket event runs inside a handler that
 * catches (HTTP exception filter, SocketEventHandler, SocketEventGuard, SocketExceptionsFilter),
 * so what is left to reach this point are stray callbacks of libraries (an rxjs subscriber
 * rethrowing, a Redis promise nobody awaited). The state that matters lives in the database,
 * where each write is a single document and invariants are unique indexes; in memory there
 * are only caches, timers and sockets, which one failed callback does not corrupt. Exiting
 * instead would drop every connected user because of one hostile packet.
 *
 * The log carries the error's name and stack frames only, never its message (a SyntaxError's
 * message quotes the input). A burst of stray errors still ends the process, so that a
 * supervisor restarts it rather than letting it fail in a loop.
 */
export function installLastLineOfDefence(
  logger = new Logger('Process'),
  exit: (code: number) => void = (code) => process.exit(code),
): (kind: string, error: unknown) => void {
  const recent: number[] = [];
  const onStrayError = (kind: string, error: unknown) => {
    const now = Date.now();
    recent.push(now);
    while (recent.length > 0 && recent[0] <= now - 60_000) recent.shift();
    logger.error(`${kind}, still serving: ${describeWithoutMessage(error)}`);
    if (recent.length > STRAY_ERRORS_PER_MINUTE_MAX) {
      logger.error(`${recent.length} stray errors within a minute: exiting to be restarted`);
      exit(1);
    }
  };
  process.on('uncaughtException', (error) => onStrayError('Uncaught exception', error));
  process.on('unhandledRejection', (reason) => onStrayError('Unhandled rejection', reason));
  return onStrayError;
}

export function describeWithoutMessage(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .slice(0, 8)
    .map((line) => line.trim());
  return [error.name, ...frames].join(' | ');
}
