import type { PublicUser } from '@natter/contracts';
import type { UserRecord } from './users.repository';

/** What anyone may see of a user: never the hash. */
export const toPublicUser = (user: UserRecord): PublicUser => ({
  id: user.id,
  username: user.username,
  createdAt: user.createdAt.toISOString(),
});
