import type { PublicUser } from '@natter/contracts';
import type { UserRecord } from './users.repository';

/** What a user sees of their own account: never the hash. */
export const toPublicUser = (user: UserRecord): PublicUser => ({
  id: user.id,
  username: user.username,
  createdAt: user.createdAt.toISOString(),
  twoFactorEnabled: user.twoFactorEnabled,
});
