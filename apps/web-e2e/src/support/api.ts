import type {
  Ack,
  ClientToServerEvents,
  MessageInfo,
  ServerToClientEvents,
} from '@natter/contracts/client';
import { io, Socket } from 'socket.io-client';

/** Signs in over the API (a second session of the same person), for seeding data fast. */
export async function apiLogin(
  baseUrl: string,
  username: string,
  password = 'browser password 1',
): Promise<string> {
  const response = await fetch(`${baseUrl}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error(`login failed: ${response.status}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** Sends `count` text messages from a socket session, one after another, each acknowledged. */
export async function seedMessages(
  baseUrl: string,
  token: string,
  recipientId: string,
  count: number,
  prefix: string,
): Promise<void> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(baseUrl, {
    auth: { token },
    transports: ['websocket'],
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  try {
    for (let i = 1; i <= count; i++) {
      const ack = await new Promise<Ack<{ message: MessageInfo }>>((resolve) =>
        socket.emit(
          'send_private_message',
          {
            recipientId,
            text: `${prefix} ${i}`,
            clientId: `seed-${prefix}-${i}`.replace(/[^A-Za-z0-9_-]/g, ''),
          },
          resolve,
        ),
      );
      if (!ack.ok) throw new Error(`seed send failed: ${ack.error.message}`);
    }
  } finally {
    socket.close();
  }
}
