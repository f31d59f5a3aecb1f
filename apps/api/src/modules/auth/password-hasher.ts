import { Injectable } from '@nestjs/common';
import * as bcrypt from 'bcrypt';

export const BCRYPT_COST = 12;

/**
 * bcrypt's async API runs on libuv's thread pool, so hashing (~200 ms at cost 12) never
 * blocks the event loop.
 */
@Injectable()
export class PasswordHasher {
  /** A real hash to compare against when the user does not exist, so timing does not tell. */
  private readonly dummyHash = bcrypt.hash('natter-timing-equaliser', BCRYPT_COST);

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, BCRYPT_COST);
  }

  verify(password: string, hash: string): Promise<boolean> {
    return bcrypt.compare(password, hash);
  }

  async verifyAgainstNothing(password: string): Promise<false> {
    await bcrypt.compare(password, await this.dummyHash);
    return false;
  }
}
