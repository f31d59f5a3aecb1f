import type { Socket } from 'socket.io';
import type { AuthUser } from '../../common/auth-user';

/** The authenticated user of a socket (set by the handshake middleware; never from a payload). */
export function socketUser(socket: Socket): AuthUser {
  return (socket.data as { user: AuthUser }).user;
}

export function isTokenExpired(user: AuthUser, now = Date.now()): boolean {
  return now >= user.expiresAt * 1000;
}
