import type { Ack, MessageInfo } from '@natter/contracts';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { bearer, ClientSocket, TestUser } from './clients';

/** Makes two users contacts through the real friend-request flow (which also creates their conversation). */
export async function befriend(url: string, a: TestUser, b: TestUser): Promise<void> {
  const sent = await request(url)
    .post('/api/friend-requests/send')
    .set(bearer(a))
    .send({ username: b.username })
    .expect(201);
  await request(url)
    .post('/api/friend-requests/accept')
    .set(bearer(b))
    .send({ requestId: sent.body.request.id })
    .expect(200);
}

/** Emits a client event and resolves with its acknowledgement. Untyped on purpose: tests send hostile payloads. */
export function emitAck<T extends object = object>(
  socket: ClientSocket,
  event: string,
  ...args: unknown[]
): Promise<Ack<T>> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (socket as any).timeout(10000).emitWithAck(event, ...args) as Promise<Ack<T>>;
}

export const newClientId = () => randomUUID();

export async function sendText(
  socket: ClientSocket,
  recipientId: string,
  text: string,
  clientId = newClientId(),
): Promise<MessageInfo> {
  const ack = await emitAck<{ message: MessageInfo }>(socket, 'send_private_message', {
    recipientId,
    text,
    clientId,
  });
  if (!ack.ok) throw new Error(`send refused: ${ack.error.code} ${ack.error.message}`);
  return ack.message;
}
