import { Injectable } from '@nestjs/common';
import type { PublicUser } from '@natter/contracts';
import { UserRecord, UsersRepository } from './users.repository';

export const toPublicUser = (user: UserRecord): PublicUser => ({
  id: user.id,
  username: user.username,
  createdAt: user.createdAt.toISOString(),
});

@Injectable()
export class UsersService {
  constructor(readonly repository: UsersRepository) {}

  findById(id: string): Promise<UserRecord | null> {
    return this.repository.findById(id);
  }

  findByUsername(username: string): Promise<UserRecord | null> {
    return this.repository.findByUsername(username);
  }
}
