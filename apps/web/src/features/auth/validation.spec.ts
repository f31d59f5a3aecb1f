import { validateLogin, validateNewPassword, validateSignup, validateUsername } from './validation';

describe('auth form validation', () => {
  it.each([
    ['', 'Enter a username'],
    ['ab', 'Username must be 3–20 characters'],
    ['a'.repeat(21), 'Username must be 3–20 characters'],
    ['bad name', 'Username may contain only letters, digits, _ . and -'],
    ['bob!', 'Username may contain only letters, digits, _ . and -'],
    ['ünïcode', 'Username may contain only letters, digits, _ . and -'],
  ])('rejects username %j', (username, message) => {
    expect(validateUsername(username)).toBe(message);
  });

  it.each(['abc', 'Alice_1.x-y', 'a'.repeat(20)])('accepts username %j', (username) => {
    expect(validateUsername(username)).toBeUndefined();
  });

  it('measures passwords in UTF-8 bytes like bcrypt', () => {
    expect(validateNewPassword('short')).toMatch(/at least 8/);
    expect(validateNewPassword('12345678')).toBeUndefined();
    // 4 emoji = 16 bytes: long enough although only 4 "characters" on screen
    expect(validateNewPassword('😀😀😀😀')).toBeUndefined();
    expect(validateNewPassword('a'.repeat(72))).toBeUndefined();
    expect(validateNewPassword('a'.repeat(73))).toMatch(/too long/);
    // 36 × "é" (2 bytes each) = 72 bytes ok; 37 = 74 bytes too long
    expect(validateNewPassword('é'.repeat(36))).toBeUndefined();
    expect(validateNewPassword('é'.repeat(37))).toMatch(/too long/);
  });

  it('refuses a password equal to the username (case-insensitively)', () => {
    expect(validateSignup({ username: 'Alice.Smith', password: 'alice.smith' }).password).toBe(
      'Password must not be the same as your username',
    );
    expect(validateSignup({ username: 'alice', password: 'correct horse' })).toEqual({});
  });

  it('login only asks for both fields', () => {
    expect(validateLogin({ username: '', password: '' })).toEqual({
      username: 'Enter your username',
      password: 'Enter your password',
    });
    expect(validateLogin({ username: 'x', password: 'y' })).toEqual({});
  });
});
