import type { SignedFields } from '../ports/command-signature.port';
import type { CancelOrderCommand, PlaceOrderCommand } from './order-contracts';
import type { ReconcileOrdersRequest } from './reconciliation-contracts';

/** What the signature of a place-order command covers: every field but the signature. */
export function placeOrderSignedFields(command: Omit<PlaceOrderCommand, 'signature'> & { signature?: unknown }): SignedFields {
  const { signature: _signature, ...fields } = command;
  return fields;
}

/** What the signature of a cancel covers: the order it names, who asks and when. */
export function cancelOrderSignedFields(orderId: string, cancel: Omit<CancelOrderCommand, 'signature'>): SignedFields {
  return { orderId, requestedBy: cancel.requestedBy, issuedAt: cancel.issuedAt };
}

/** What the signature of a reconciliation request covers. */
export function reconcileOrdersSignedFields(request: Omit<ReconcileOrdersRequest, 'signature'>): SignedFields {
  return { graceSeconds: request.graceSeconds, requestedBy: request.requestedBy, issuedAt: request.issuedAt };
}
