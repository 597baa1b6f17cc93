// A card terminal on the shop's network, simulated: the payment API a kiosk talks to (/v1, the
// shape of cardTerminalApi.ts), and a control API (/sim) through which a test or the demo plays
// the customer in front of it and pulls its network cable. Every body is checked by a zod schema.
import type { Socket } from 'node:net';
import Fastify, { type FastifyError, type FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CancelRequestedSchema,
  CARD_TERMINAL_ERRORS,
  type CardTerminalErrorCode,
  PaymentBodySchema,
  PaymentStateSchema,
  RefundBodySchema,
  RefundSchema,
  TransactionParamsSchema,
  UnknownPaymentSchema,
} from '../core/payments/cardTerminalApi';
import { type CardTerminalTimings, CUSTOMER_OUTCOMES, DEFAULT_TIMINGS, TerminalPayments, TerminalRefusal } from './cardTerminalPayments';

/** POST /sim/next: what the customer does with the next payment without one queued. */
export const CustomerTurnSchema = z.strictObject({ outcome: z.enum(CUSTOMER_OUTCOMES), afterMs: z.int().min(0).max(600_000).optional() });
/** POST /sim/offline */
export const OfflineSchema = z.strictObject({ offline: z.boolean() });
/** GET /sim/charges */
export const ChargesSchema = z.strictObject({
  charges: z.array(z.strictObject({ transactionId: z.uuid(), amountCents: z.int(), currency: z.string(), reference: z.string(), refundedCents: z.int() })),
});

const STATUS_OF: Record<CardTerminalErrorCode, number> = {
  'invalid-request': 400,
  'not-found': 404,
  'unknown-transaction': 404,
  'transaction-id-reused': 409,
  'terminal-busy': 409,
  'payment-not-approved': 409,
  'refund-exceeds-payment': 409,
  'refund-id-reused': 409,
  'queue-full': 409,
  internal: 500,
};

export interface CardTerminalOptions {
  /** 127.0.0.1 unless given: a simulator has no business on the shop's network by default. */
  host?: string;
  /** 0: any free port. */
  port?: number;
  timings?: Partial<CardTerminalTimings>;
}

export interface RunningCardTerminal {
  /** http://host:port, the base URL a kiosk is given. */
  url: string;
  close(): Promise<void>;
}

function refuse(reply: FastifyReply, code: CardTerminalErrorCode, message: string = CARD_TERMINAL_ERRORS[code]): FastifyReply {
  return reply.code(STATUS_OF[code]).send({ error: { code, message } });
}

/** What a refusal from Fastify or a schema means to the caller: only the terminal's codes get out. */
function refusalOf(error: FastifyError): { code: CardTerminalErrorCode; message?: string } {
  if (error instanceof TerminalRefusal) return { code: error.code };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issue = error.validation[0]!;
    return { code: 'invalid-request', message: `${issue.instancePath.slice(1).replaceAll('/', '.') || 'body'}: ${issue.message ?? 'is not valid'}` };
  }
  // Fastify's own refusals of a body (not JSON, empty, too large, another media type) are the caller's.
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) return { code: 'invalid-request', message: error.message };
  // A bug of the simulator's own: the caller gets `internal`, whoever runs it sees why (stdout is the URL's).
  console.error(error);
  return { code: 'internal' };
}

export async function startCardTerminal(options: CardTerminalOptions = {}): Promise<RunningCardTerminal> {
  const payments = new TerminalPayments({ ...DEFAULT_TIMINGS, ...options.timings });
  const app = Fastify({ logger: false, bodyLimit: 4 * 1024, forceCloseConnections: true }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const { code, message } = refusalOf(error);
    return refuse(reply, code, message);
  });
  app.setNotFoundHandler((_request, reply) => refuse(reply, 'not-found'));

  // Offline: the terminal's network cable is out. A kiosk's requests are never answered (a
  // powered-off device on a LAN sends no refusal either) until the kiosk gives up; a payment under
  // way goes on, so the kiosk finds out how it ended once the terminal is back.
  let offline = false;
  const unanswered = new Set<Socket>();
  const dropUnanswered = () => {
    for (const socket of unanswered) socket.destroy();
    unanswered.clear();
  };
  app.addHook('onRequest', async (request, reply) => {
    if (!offline || !request.url.startsWith('/v1/')) return;
    reply.hijack();
    const socket = request.raw.socket;
    unanswered.add(socket);
    socket.once('close', () => unanswered.delete(socket));
  });

  app.post('/v1/payments', {
    schema: { body: PaymentBodySchema, response: { 200: PaymentStateSchema } },
    handler: async (request) => payments.start(request.body),
  });
  app.get('/v1/payments/:transactionId', {
    schema: { params: TransactionParamsSchema, response: { 200: PaymentStateSchema, 404: UnknownPaymentSchema } },
    handler: async (request, reply) => payments.status(request.params.transactionId) ?? reply.code(404).send({ state: 'unknown' }),
  });
  app.post('/v1/payments/:transactionId/cancel', {
    schema: { params: TransactionParamsSchema, response: { 202: CancelRequestedSchema, 404: UnknownPaymentSchema } },
    handler: async (request, reply) =>
      payments.cancel(request.params.transactionId) ? reply.code(202).send({ cancel: 'requested' }) : reply.code(404).send({ state: 'unknown' }),
  });
  app.post('/v1/refunds', {
    schema: { body: RefundBodySchema, response: { 200: RefundSchema } },
    handler: async (request) => payments.refund(request.body),
  });

  app.post('/sim/next', {
    schema: { body: CustomerTurnSchema, response: { 200: z.strictObject({ queued: z.int() }) } },
    handler: async (request) => ({ queued: payments.queue(request.body) }),
  });
  app.get('/sim/charges', { schema: { response: { 200: ChargesSchema } }, handler: async () => ({ charges: payments.charges() }) });
  app.post('/sim/offline', {
    schema: { body: OfflineSchema, response: { 200: OfflineSchema } },
    handler: async (request) => {
      offline = request.body.offline;
      if (!offline) dropUnanswered();
      return { offline };
    },
  });

  const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  return {
    url: address,
    async close() {
      payments.close();
      dropUnanswered();
      await app.close();
    },
  };
}
