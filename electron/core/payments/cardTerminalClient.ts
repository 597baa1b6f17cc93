// The kiosk's side of a card terminal on the shop's network (cardTerminalApi.ts): a PaymentProvider
// over HTTP. Whatever goes wrong on the way — no connection, no answer in time, a 5xx, a body that
// is not the API's — is PaymentUnreachable: nothing is known, and the kiosk asks `status` again.
import { z } from 'zod';
import {
  CancelRequestedSchema,
  CardTerminalErrorSchema,
  type CardTerminalErrorCode,
  PaymentStateSchema,
  RefundSchema,
  UnknownPaymentSchema,
} from './cardTerminalApi';
import { type PaymentProvider, PaymentRefused, type PaymentRequest, type PaymentStatus, PaymentUnreachable, type RefundRequest, type RefundStatus } from './paymentProvider';

/** TILLSYNC_CARD_TERMINAL_URL: the terminal's base URL, e.g. http://192.168.1.40:8443. */
export const CardTerminalUrlSchema = z.url({ protocol: /^https?$/ });

/** A terminal answers at once (the customer's tap is learnt by polling); longer is a terminal gone. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;

/**
 * The terminal refused the request, knowingly: nothing was started or refunded. A busy terminal
 * (`terminal-busy`) is the one the kiosk can act on: cancel its own payment still in progress, or
 * wait. The others are a kiosk's mistake (an id used twice, a request out of shape).
 */
export class CardTerminalRefused extends PaymentRefused {
  override readonly name = 'CardTerminalRefused';
  constructor(
    readonly code: CardTerminalErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Refusals of a refund the kiosk can show as a failed refund rather than a bug of its own. */
const REFUND_FAILURES: ReadonlySet<CardTerminalErrorCode> = new Set(['unknown-transaction', 'payment-not-approved', 'refund-exceeds-payment']);

export interface CardTerminalClientOptions {
  /** http(s)://host:port of the terminal, checked with CardTerminalUrlSchema. */
  url: string;
  requestTimeoutMs?: number;
}

interface Answer {
  status: number;
  body: unknown;
}

export class CardTerminalClient implements PaymentProvider {
  readonly name = 'card-terminal';
  private readonly base: URL;
  private readonly timeoutMs: number;

  constructor({ url, requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS }: CardTerminalClientOptions) {
    this.base = new URL(CardTerminalUrlSchema.parse(url));
    // The API's paths are relative to the URL given, which may have a path of its own (a gateway's).
    if (!this.base.pathname.endsWith('/')) this.base.pathname += '/';
    this.timeoutMs = requestTimeoutMs;
  }

  async start(request: PaymentRequest): Promise<PaymentStatus> {
    const { transactionId, amountCents, currency, reference } = request;
    const answer = await this.call('POST', 'v1/payments', { transactionId, amountCents, currency, reference });
    if (answer.status === 200) return bodyOf(PaymentStateSchema, answer);
    throw refusal(answer);
  }

  async status(transactionId: string): Promise<PaymentStatus> {
    const answer = await this.call('GET', `v1/payments/${encodeURIComponent(transactionId)}`);
    if (answer.status === 200) return bodyOf(PaymentStateSchema, answer);
    // Only the terminal's own "unknown" says it never received the payment: a 404 from anything
    // else at this address (a wrong URL, a proxy) says nothing about it.
    if (answer.status === 404) return bodyOf(UnknownPaymentSchema, answer);
    throw refusal(answer);
  }

  async cancel(transactionId: string): Promise<void> {
    const answer = await this.call('POST', `v1/payments/${encodeURIComponent(transactionId)}/cancel`);
    if (answer.status === 202) return void bodyOf(CancelRequestedSchema, answer);
    // A payment the terminal never received has nothing to stop.
    if (answer.status === 404) return void bodyOf(UnknownPaymentSchema, answer);
    throw refusal(answer);
  }

  async refund(request: RefundRequest): Promise<RefundStatus> {
    const { refundId, transactionId, amountCents } = request;
    const answer = await this.call('POST', 'v1/refunds', { refundId, transactionId, amountCents });
    if (answer.status === 200) return { state: 'refunded', reference: bodyOf(RefundSchema, answer).reference };
    const refused = refusal(answer);
    if (REFUND_FAILURES.has(refused.code)) return { state: 'failed', reason: refused.code };
    throw refused;
  }

  private async call(method: 'GET' | 'POST', path: string, body?: object): Promise<Answer> {
    const url = new URL(path, this.base);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method,
        signal: AbortSignal.timeout(this.timeoutMs),
        // The terminal answers itself; a redirect could only send the kiosk's payment elsewhere.
        redirect: 'error',
        ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
      });
      text = await response.text();
    } catch (error) {
      throw new PaymentUnreachable(`The card terminal did not answer ${method} ${url.href}: ${reasonOf(error)}.`, { cause: error });
    }
    if (response.status >= 500) throw new PaymentUnreachable(`The card terminal failed (${response.status}) on ${method} ${url.href}.`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new PaymentUnreachable(`The card terminal answered ${method} ${url.href} with something other than JSON (${response.status}).`);
    }
    return { status: response.status, body: parsed };
  }
}

/** The body of an answer as `schema` has it, or PaymentUnreachable: a body out of shape tells nothing. */
function bodyOf<S extends z.ZodType>(schema: S, answer: Answer): z.output<S> {
  const parsed = schema.safeParse(answer.body);
  if (parsed.success) return parsed.data;
  throw new PaymentUnreachable(`The card terminal's answer (${answer.status}) is not what its API says: ${z.prettifyError(parsed.error)}`);
}

/** A 4xx with the terminal's error body is a refusal; any other answer is not the terminal speaking. */
function refusal(answer: Answer): CardTerminalRefused {
  if (answer.status < 400) throw new PaymentUnreachable(`The card terminal answered ${answer.status}, which its API never does here.`);
  const { error } = bodyOf(CardTerminalErrorSchema, answer);
  return new CardTerminalRefused(error.code, error.message);
}

function reasonOf(error: unknown): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return 'no answer in time';
  // undici puts the system's reason (ECONNREFUSED, ECONNRESET…) in the cause of its "fetch failed".
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}
