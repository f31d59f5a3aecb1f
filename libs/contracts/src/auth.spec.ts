import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ChangePasswordDto, SignupDto } from './auth';

const errorsOf = <T extends object>(cls: new () => T, body: object) =>
  validateSync(plainToInstance(cls, body), { whitelist: true, forbidNonWhitelisted: true }).map(
    (e) => e.property,
  );

describe('SignupDto', () => {
  it('accepts names of letters, digits, _ . -', () => {
    expect(errorsOf(SignupDto, { username: 'A_b.c-9', password: 'long enough' })).toEqual([]);
  });
  it.each(['ab', 'x'.repeat(21), 'with space', 'émile', 'a/b', '<script>'])(
    'refuses the name %p',
    (username) => {
      expect(errorsOf(SignupDto, { username, password: 'long enough' })).toContain('username');
    },
  );
  it('measures the password in UTF-8 bytes (bcrypt reads 72)', () => {
    expect(errorsOf(SignupDto, { username: 'alice', password: 'é'.repeat(36) })).toEqual([]); // 72 bytes
    expect(errorsOf(SignupDto, { username: 'alice', password: 'é'.repeat(37) })).toContain(
      'password',
    ); // 74 bytes
    expect(errorsOf(SignupDto, { username: 'alice', password: '1234567' })).toContain('password');
  });
  it('refuses a password equal to the username in any case', () => {
    expect(errorsOf(SignupDto, { username: 'Alice1234', password: 'aLICE1234' })).toContain(
      'password',
    );
  });
  it('refuses non-strings and unknown fields', () => {
    expect(errorsOf(SignupDto, { username: { $ne: null }, password: 'long enough' })).toContain(
      'username',
    );
    expect(errorsOf(SignupDto, { username: 'alice', password: 12345678 })).toContain('password');
    expect(
      errorsOf(SignupDto, { username: 'alice', password: 'long enough', role: 'admin' }),
    ).toContain('role');
  });
});

describe('ChangePasswordDto', () => {
  it('applies the password rule to the new password', () => {
    expect(errorsOf(ChangePasswordDto, { currentPassword: 'x', newPassword: 'short' })).toContain(
      'newPassword',
    );
    expect(
      errorsOf(ChangePasswordDto, { currentPassword: 'x', newPassword: 'long enough' }),
    ).toEqual([]);
  });
});
