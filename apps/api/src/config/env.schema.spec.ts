import { validateEnvironment } from './env.schema';

describe(validateEnvironment.name, () => {
  it('applies the defaults and converts numbers and booleans', () => {
    const env = validateEnvironment({ PORT: '9000', TRUST_PROXY: 'true', UNRELATED: 'x' });
    expect(env).toMatchObject({
      PORT: 9000,
      TRUST_PROXY: true,
      HOST: '127.0.0.1',
      RATE_LOGIN_IP_LIMIT: 20,
    });
    expect(env).not.toHaveProperty('UNRELATED');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ MONGODB_URI: 'http://db' }, 'MONGODB_URI'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ RATE_SIGNUP_IP_LIMIT: '0' }, 'RATE_SIGNUP_IP_LIMIT'],
    [{ METRICS_PORT: 'metrics' }, 'METRICS_PORT'],
    [{ METRICS_PORT: '70000' }, 'METRICS_PORT'],
    [{ DATA_ENCRYPTION_KEY: 'abc' }, 'DATA_ENCRYPTION_KEY'],
  ])('refuses %j with a message naming %s', (raw, name) => {
    expect(() => validateEnvironment(raw)).toThrow(`\n  ${name}:`);
  });

  it('requires JWT_SECRET in production, and only there', () => {
    const key = 'a'.repeat(64);
    expect(() => validateEnvironment({ NODE_ENV: 'production', DATA_ENCRYPTION_KEY: key })).toThrow(
      /JWT_SECRET: required/,
    );
    expect(
      validateEnvironment({
        NODE_ENV: 'production',
        JWT_SECRET: 'p'.repeat(32),
        DATA_ENCRYPTION_KEY: key,
      }).JWT_SECRET,
    ).toBe('p'.repeat(32));
    expect(validateEnvironment({ NODE_ENV: 'development' }).JWT_SECRET).toBeUndefined();
  });

  it('leaves the metrics server off unless METRICS_PORT is set; binds it to loopback by default', () => {
    expect(validateEnvironment({}).METRICS_PORT).toBeUndefined();
    expect(validateEnvironment({ METRICS_PORT: '' }).METRICS_PORT).toBeUndefined();
    expect(validateEnvironment({ METRICS_PORT: '9464' })).toMatchObject({
      METRICS_PORT: 9464,
      METRICS_HOST: '127.0.0.1',
    });
  });

  it('requires DATA_ENCRYPTION_KEY in production, and only there', () => {
    expect(() =>
      validateEnvironment({ NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(32) }),
    ).toThrow(/DATA_ENCRYPTION_KEY: required/);
    expect(validateEnvironment({ NODE_ENV: 'test' }).DATA_ENCRYPTION_KEY).toBeUndefined();
  });
});
