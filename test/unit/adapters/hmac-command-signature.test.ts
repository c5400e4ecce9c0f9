import { randomBytes } from 'node:crypto';
import { createHmacCommandSignature } from '../../../src/adapters/security/hmac-command-signature';
import { scheduledRebalanceSignedFields, startRebalanceSignedFields } from '../../../src/contracts/command-signatures';
import type { StartRebalanceCommand } from '../../../src/contracts/rebalance-contracts';

const key = randomBytes(32);
const signature = createHmacCommandSignature(key);
const fields = { orderId: 'o-1', quantity: '10', execute: true, limitPrice: null };

describe('command signatures', () => {
  it('when a command is verified with the key it was signed with, then it passes, whatever the order of its fields', () => {
    const signed = signature.sign('place-order', fields);
    expect(signature.verify('place-order', { limitPrice: null, execute: true, quantity: '10', orderId: 'o-1' }, signed)).toBe(true);
  });

  const refused: Array<[string, () => boolean]> = [
    ['a field is changed', () => signature.verify('place-order', { ...fields, quantity: '11' }, signature.sign('place-order', fields))],
    ['a field is added', () => signature.verify('place-order', { ...fields, extra: 'x' }, signature.sign('place-order', fields))],
    ['the kind differs', () => signature.verify('cancel-order', fields, signature.sign('place-order', fields))],
    ['a rebalance schedule\'s command is presented as a single rebalance\'s', () => {
      const scheduled = { portfolioId: 'p-1', mode: 'automatic', method: '{"type":"stored"}', settings: '{}', approvalDeadlineSeconds: 60, requestedBy: 'pm', issuedAt: '2026-11-22T00:00:00Z', dca: null };
      return signature.verify('start-rebalance', scheduledRebalanceSignedFields(scheduled as never), signature.sign('scheduled-rebalance', scheduledRebalanceSignedFields(scheduled as never)));
    }],
    ['a rebalance\'s adjustment is changed (or added) after signing', () => {
      const start: Omit<StartRebalanceCommand, 'signature'> = {
        rebalanceId: 'r-1', portfolioId: 'p-1', mode: 'manual', method: { type: 'stored' }, settings: {}, approvalDeadlineSeconds: 60, requestedBy: 'pm', issuedAt: '2026-11-22T00:00:00Z',
        adjustment: { type: 'momentum-tilt', lookbackDays: 60, strength: 1 },
      };
      const signed = signature.sign('start-rebalance', startRebalanceSignedFields(start));
      const { adjustment: _a, ...without } = start;
      return signature.verify('start-rebalance', startRebalanceSignedFields({ ...start, adjustment: { type: 'momentum-tilt', lookbackDays: 60, strength: 5 } }), signed)
        || signature.verify('start-rebalance', startRebalanceSignedFields(without), signed)
        || signature.verify('start-rebalance', startRebalanceSignedFields({ ...without, adjustment: start.adjustment! }), signature.sign('start-rebalance', startRebalanceSignedFields(without)));
    }],
    ['another key signed it', () => signature.verify('place-order', fields, createHmacCommandSignature(randomBytes(32)).sign('place-order', fields))],
    ['the signature is missing', () => signature.verify('place-order', fields, undefined)],
    ['the signature is malformed', () => signature.verify('place-order', fields, 'not base64url!')],
  ];
  it.each(refused)('when %s, then verification fails', (_name, verify) => {
    expect(verify()).toBe(false);
  });

  it('when the key is shorter than 32 bytes, then it is refused', () => {
    expect(() => createHmacCommandSignature(randomBytes(16))).toThrow(/32 bytes/);
  });
});
