// Orders as a kiosk that takes payments uploads them, and terminals that read payments.
import { randomUUID } from 'node:crypto';
import type { HelloResponse } from '#protocol/events';
import type { OrderUpload, Payment, Service } from '#protocol/orders';
import { connectProtocolClient, type ProtocolClient } from './protocolClient';

type CardPayment = Extract<Payment, { method: 'card' }>;

/** `upload` paid by card for its total, as the card terminal approved it. */
export function paidByCard(upload: OrderUpload, card: Partial<CardPayment> = {}, details: { service?: Service; locale?: string } = {}): OrderUpload {
  return {
    ...upload,
    ...details,
    payment: {
      method: 'card',
      status: 'paid',
      provider: 'card-terminal',
      transactionId: randomUUID(),
      reference: `AUTH-${randomUUID().slice(0, 8).toUpperCase()}`,
      amountCents: upload.totalCents,
      cardBrand: 'Visa',
      last4: '4242',
      paidAt: upload.placedAt,
      failedAttempts: 0,
      ...card,
    },
  };
}

/** `upload` to be paid at the counter: unpaid, and held until staff take the money if `held`. */
export function payAtCounter(upload: OrderUpload, held: boolean, details: { service?: Service; locale?: string } = {}): OrderUpload {
  return { ...upload, ...details, payment: { method: 'counter', status: 'unpaid', held } };
}

/** What a terminal of this release names in its handshake. */
export const READS_PAYMENTS = { menuFormats: [1, 2], changeKinds: ['store.changed', 'order.paid'] };

/** A terminal that reads payments, connected and greeted; its hello is kept. */
export async function connectReadingPayments(serverUrl: string, token: string): Promise<ProtocolClient & { hello: HelloResponse }> {
  const client = await connectProtocolClient(serverUrl, { token, ...READS_PAYMENTS });
  const hello = await client.request<HelloResponse>('session:hello', { protocolVersion: 1, cursor: 0 });
  if (!hello.ok) throw new Error(JSON.stringify(hello.error));
  return Object.assign(client, { hello: hello.data });
}
