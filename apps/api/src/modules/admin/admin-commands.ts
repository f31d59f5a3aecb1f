import type { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { AccountsService } from '../auth/accounts.service';
import { SessionsService } from '../auth/sessions.service';
import { SessionsRepository } from '../auth/sessions.repository';
import { TwoFactorService } from '../auth/two-factor/two-factor.service';
import { ContactsRepository } from '../contacts/contacts.repository';
import { FriendsRepository } from '../social/requests/friends.repository';
import { MessagesRepository } from '../messages/messages.repository';
import { UsersRepository } from '../users/users.repository';

const USAGE = `Natter administration (replaces manage_users.py)

Usage: npm run admin -- <command> [options]

  list [--limit N]                     list users (oldest first)
  find <prefix>                        users whose name starts with <prefix>
  stats <username>                     sessions, contacts, requests and messages of a user
  reset-password <username> [--password P]
                                       set a new password (random if not given, printed once)
                                       and revoke every session of the user
  revoke-sessions <username>           sign the user out everywhere
  disable-2fa <username>               turn two-factor sign-in off (lost authenticator and
                                       recovery codes) and sign the user out everywhere
  delete <username> --yes              delete the user and all their data
`;

/**
 * Runs one administration command against an application context; returns the exit code.
 * Output goes through `print` so that tests can read it.
 */
export async function runAdminCommand(
  app: INestApplicationContext,
  argv: string[],
  print: (...parts: unknown[]) => void,
): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      limit: { type: 'string' },
      password: { type: 'string' },
      yes: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  const [command, argument] = positionals;
  if (!command || values.help) {
    print(USAGE);
    return command ? 0 : 1;
  }
  const users = app.get(UsersRepository);
  const accounts = app.get(AccountsService);
  const sessions = app.get(SessionsService);
  const requireUser = async () => {
    if (!argument) throw new Error(`${command} needs a username`);
    const user = await users.findByUsername(argument);
    if (!user) throw new Error(`no user named ${argument}`);
    return user;
  };
  switch (command) {
    case 'list': {
      const limit = Number(values.limit ?? 100);
      for (const user of await users.list(limit))
        print(user.id, user.username, user.createdAt.toISOString());
      print(`${await users.count()} users in total`);
      return 0;
    }
    case 'find': {
      if (!argument) throw new Error('find needs a prefix');
      for (const user of await users.searchByPrefix(argument, [], 50))
        print(user.id, user.username);
      return 0;
    }
    case 'stats': {
      const user = await requireUser();
      const requests = app.get(FriendsRepository);
      print('id', user.id);
      print('username', user.username);
      print('created', user.createdAt.toISOString());
      print('last seen', user.lastSeenAt?.toISOString() ?? 'never');
      print('active sessions', await app.get(SessionsRepository).countActive(user.id, new Date()));
      print('contacts', await app.get(ContactsRepository).countFor(user.id));
      print('pending requests in', await requests.countPending(user.id, 'recipientId'));
      print('pending requests out', await requests.countPending(user.id, 'senderId'));
      print('messages sent', await app.get(MessagesRepository).countSentBy(user.id));
      return 0;
    }
    case 'reset-password': {
      const user = await requireUser();
      const password = values.password ?? randomBytes(12).toString('base64url');
      if (Buffer.byteLength(password) < 8 || Buffer.byteLength(password) > 72)
        throw new Error('password must be 8–72 bytes');
      await accounts.resetPassword(user.id, password);
      print(`password of ${user.username} reset; every session revoked`);
      if (!values.password) print(`new password: ${password}`);
      return 0;
    }
    case 'revoke-sessions': {
      const user = await requireUser();
      print(`revoked ${await sessions.revokeAll(user.id)} sessions of ${user.username}`);
      return 0;
    }
    case 'disable-2fa': {
      const user = await requireUser();
      if (!user.twoFactorEnabled) {
        print(`two-factor sign-in is not on for ${user.username}`);
        return 1;
      }
      await app.get(TwoFactorService).disableByAdmin(user.id);
      print(`two-factor sign-in of ${user.username} turned off; every session revoked`);
      return 0;
    }
    case 'delete': {
      const user = await requireUser();
      if (!values.yes) throw new Error(`refusing to delete ${user.username} without --yes`);
      await accounts.deleteUserAndData(user.id);
      print(`deleted ${user.username} and all their data`);
      return 0;
    }
    default:
      print(`unknown command: ${command}\n\n${USAGE}`);
      return 1;
  }
}
