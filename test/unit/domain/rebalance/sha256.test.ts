import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson, sha256Hex } from '../../../../src/domain/rebalance';

describe('sha256Hex', () => {
  const vectors: Array<[string, string]> = [
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
    [
      'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
      'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
    ],
    ['a'.repeat(1_000_000), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
  ];
  it.each(vectors.map(([m, h]) => [m.length, m, h] as const))('when hashing the FIPS 180 vector of %i characters, then the digest is the published one', (_len, message, hex) => {
    expect(sha256Hex(message)).toBe(hex);
  });

  it('when hashing any string (including non-ASCII and surrogate pairs), then it agrees with node:crypto', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => {
      expect(sha256Hex(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
    }), { numRuns: 300 });
  });
});

describe('canonicalJson', () => {
  it('when two objects hold the same content in different key orders, then their canonical forms are equal', () => {
    expect(canonicalJson({ b: 1, a: { y: '2', x: [3, { q: null, p: true }] } })).toBe(canonicalJson({ a: { x: [3, { p: true, q: null }], y: '2' }, b: 1 }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it('when arrays differ in order, then the canonical forms differ (legs are ordered content)', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });
});
