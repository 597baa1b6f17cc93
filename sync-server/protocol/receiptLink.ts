// The link a kiosk prints as a QR code on a receipt: the server's receipt page for one order,
// signed with the kiosk's receipt key (given in its hello), so a link opens only the order it was
// printed for and cannot be made up from an order id. The kiosk signs offline; the server, which
// derives every kiosk's key from its own secret and the kiosk's id, checks — even before the order
// has reached it (the page then says the receipt is on its way).
import { createHmac, timingSafeEqual } from 'node:crypto';

/** 16 bytes of HMAC-SHA256: forging one is 2^128 guesses, and the QR code stays small. */
const SIGNATURE_BYTES = 16;

export function receiptSignature(receiptKey: string, orderId: string): string {
  return createHmac('sha256', Buffer.from(receiptKey, 'base64url')).update(`receipt:${orderId}`).digest().subarray(0, SIGNATURE_BYTES).toString('base64url');
}

/** `<server>/receipt/<kiosk's device id>/<order id>?s=<signature>` */
export function receiptUrl(serverUrl: string, receiptKey: string, deviceId: string, orderId: string): string {
  return new URL(`/receipt/${deviceId}/${orderId}?s=${receiptSignature(receiptKey, orderId)}`, serverUrl).href;
}

export function isReceiptSignature(receiptKey: string, orderId: string, signature: string): boolean {
  const expected = Buffer.from(receiptSignature(receiptKey, orderId), 'base64url');
  const given = Buffer.from(signature, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
