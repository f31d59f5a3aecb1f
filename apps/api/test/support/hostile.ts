import type { Ack } from '@natter/contracts';
import type { ClientSocket } from './clients';

/** Hostile inputs shared by the attack suites. */

/** `levels` arrays nested around `inner`, as a JSON string (built without recursion). */
export function nestedJson(levels: number, inner = '1'): string {
  return `${'['.repeat(levels)}${inner}${']'.repeat(levels)}`;
}

/** The same, as a value (JSON.parse does not recurse, so this is safe at any depth). */
export function nestedValue(levels: number): unknown {
  return JSON.parse(nestedJson(levels));
}

/** A query-string key nested `levels` deep in qs's bracket syntax: `k[a][a]…=1`. */
export function nestedQuery(key: string, levels: number): string {
  return `${key}${'[a]'.repeat(levels)}=1`;
}

/**
 * Emits an event whose arguments are given as raw JSON, bypassing the client's encoder
 * (which recurses, and overflows on the payloads an attacker writes by hand), and resolves
 * with its ack, or rejects when none comes within `timeoutMs`.
 */
export function emitRawWithAck(
  socket: ClientSocket,
  event: string,
  argsJson: string,
  timeoutMs = 10_000,
): Promise<Ack> {
  const internals = socket as unknown as {
    ids: number;
    acks: Record<number, (response: Ack) => void>;
    io: { engine: { write(data: string): void } };
  };
  const id = internals.ids++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      delete internals.acks[id];
      reject(new Error(`no ack for ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    internals.acks[id] = (response) => {
      clearTimeout(timer);
      resolve(response);
    };
    // A Socket.IO EVENT (2) with an ack id, namespace "/"; the engine frames it as a message.
    internals.io.engine.write(`2${id}[${JSON.stringify(event)},${argsJson}]`);
  });
}
