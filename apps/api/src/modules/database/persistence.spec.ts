import { isDuplicateKey, pairKeyOf, unlessDuplicate } from './persistence';

describe('persistence helpers', () => {
  const duplicate = () => Object.assign(new Error('E11000 duplicate key'), { code: 11000 });

  it('answers null for a write a unique index refused, and passes other failures on', async () => {
    await expect(unlessDuplicate(Promise.resolve('stored'))).resolves.toBe('stored');
    await expect(unlessDuplicate(Promise.reject(duplicate()))).resolves.toBeNull();
    const other = Object.assign(new Error('network'), { code: 6 });
    await expect(unlessDuplicate(Promise.reject(other))).rejects.toBe(other);
    expect(isDuplicateKey(duplicate())).toBe(true);
    expect(isDuplicateKey(null)).toBe(false);
  });

  it('gives a pair of users one key whichever way round and in whatever letter case', () => {
    const [a, b] = ['6b0fbfefa758cb4696826155', '6b0fbff1a758cb469682615a'];
    expect(pairKeyOf(a, b)).toBe(`${a}:${b}`);
    expect(pairKeyOf(b, a)).toBe(`${a}:${b}`);
    expect(pairKeyOf(b.toUpperCase(), a)).toBe(`${a}:${b}`);
  });
});
