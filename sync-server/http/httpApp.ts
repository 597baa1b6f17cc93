// The server's HTTP side on Fastify: routes typed and validated by the protocol's zod schemas, an
// OpenAPI document generated from them, request ids in every log line, and one error shape for
// every refusal, whoever refuses (a route, a schema, the body parser, the rate limiter, the router).
import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { clientAddress, type TrustedProxies } from '../limits/clientAddress';
import type { Logger as PinoLogger } from 'pino';
import type { Logger } from '../log';
import { AppError, type ErrorCode } from '../protocol/errors';
import { labelProblems } from '../protocol/parse';

export type HttpApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, PinoLogger, ZodTypeProvider>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The error a route answers when its path parameters are malformed (an id that cannot exist). */
    notFound?: ErrorCode;
  }
}

/** The HTTP status of each error code a route may answer with; any other code is 422. */
const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  INVALID_PAYLOAD: 400,
  UNKNOWN_STATION: 400,
  REPORT_RANGE_TOO_LONG: 400,
  AUTH_REQUIRED: 401,
  AUTH_INVALID: 401,
  FORBIDDEN_FOR_ROLE: 403,
  CSRF_INVALID: 403,
  ACCOUNT_LOCKED: 423,
  UNKNOWN_OPERATION: 404,
  STORE_NOT_FOUND: 404,
  DEVICE_NOT_FOUND: 404,
  ORDER_NOT_FOUND: 404,
  MENU_VERSION_UNKNOWN: 404,
  UNKNOWN_ITEM: 404,
  PICTURE_NOT_FOUND: 404,
  DRAFT_NOT_FOUND: 404,
  SCHEDULE_NOT_FOUND: 404,
  DRAFT_CHANGED: 409,
  MENU_VERSION_IN_USE: 409,
  PICTURE_INVALID: 415,
  ORDER_PREFIXES_EXHAUSTED: 409,
  CURRENCY_MISMATCH: 409,
  ADMIN_EXISTS: 409,
  LAST_OWNER: 409,
  ADMIN_NOT_FOUND: 404,
  INVITE_NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

/** A body is at most this large unless its route says otherwise. */
export const DEFAULT_MAX_BODY = 64 * 1024;

/**
 * What a refusal from Fastify or a plugin means to our clients. Only known codes get out: an
 * unexpected error is logged with its request id and answered INTERNAL.
 */
function asAppError(error: FastifyError, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const notFound = request.routeOptions.config.notFound;
    if (error.validationContext === 'params' && notFound) return new AppError(notFound);
    return labelProblems(
      error.validation.map((issue) => ({ path: issue.instancePath.split('/').slice(1).map((key) => (/^\d+$/.test(key) ? Number(key) : key)), message: issue.message ?? 'is not valid' })),
    );
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', `The body may be at most ${request.routeOptions.bodyLimit ?? DEFAULT_MAX_BODY} bytes.`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('INVALID_PAYLOAD', 'Send the body as application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('INVALID_PAYLOAD', 'The body is empty: send a JSON object.');
  }
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) return new AppError('INVALID_PAYLOAD', 'The body is not valid JSON.');
  if (error.statusCode === 413) return new AppError('PAYLOAD_TOO_LARGE', `The request is larger than allowed (${error.message}).`);
  // Fastify's and its plugins' own refusals (a malformed multipart body, too many parts) say what was wrong.
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return new AppError('INVALID_PAYLOAD', `The request could not be read: ${error.message}.`);
  request.log.error({ err: error }, 'http request failed');
  return new AppError('INTERNAL');
}

function sendError(reply: FastifyReply, error: AppError, status = STATUS_OF[error.code] ?? 422): FastifyReply {
  if (error.retryAfterMs) void reply.header('retry-after', String(Math.ceil(error.retryAfterMs / 1000)));
  return reply.code(status).type('application/json; charset=utf-8').send({ error: error.toBody() });
}

/** Turns a route pattern (`/api/stores/:storeId/devices`) into a test of concrete paths. */
const patternOf = (url: string) => new RegExp(`^${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+')}/?$`);

export interface HttpAppOptions {
  log: Logger;
  trustProxy: TrustedProxies;
}

/** The Fastify instance every route registers on; Socket.IO attaches to its `server`. */
export async function createHttpApp({ log, trustProxy }: HttpAppOptions): Promise<HttpApp> {
  const app = Fastify({
    loggerInstance: log.pino,
    // Ids are ours, not the client's: a log line's id then means one request of this server.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: DEFAULT_MAX_BODY,
    // Node's own protection against clients that send a request slowly, for ever.
    requestTimeout: 60_000,
    trustProxy,
    exposeHeadRoutes: true,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only: a form or text body is a client that does not speak this API.
  app.removeContentTypeParser('text/plain');

  app.decorateRequest('clientAddress', '');
  app.addHook('onRequest', async (request, reply) => {
    request.clientAddress = clientAddress(request.raw, trustProxy);
    void reply.header('x-request-id', request.id);
  });
  // Answers about stores, menus and sessions are never to be cached by a browser or a proxy.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    return payload;
  });

  const patterns = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  app.addHook('onRoute', ({ url, method }) => {
    const entry = patterns.get(url) ?? { pattern: patternOf(url), methods: new Set<string>() };
    for (const m of [method].flat()) entry.methods.add(m);
    patterns.set(url, entry);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const known = [...patterns.values()].some(({ pattern }) => pattern.test(path));
    if (known) return sendError(reply, new AppError('UNKNOWN_OPERATION', `${request.method} is not allowed here.`), 405);
    return sendError(reply, new AppError('UNKNOWN_OPERATION', 'There is nothing at this address.'));
  });
  app.setErrorHandler((error: FastifyError, request, reply) => sendError(reply, asAppError(error, request)));

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tillsync sync server',
        description: 'Head office’s API: sign-in, admins, stores, devices and pairing, menus, availability, the audit log. Terminals speak Socket.IO (PROTOCOL.md).',
        version: '1',
      },
      components: {
        securitySchemes: {
          session: { type: 'http', scheme: 'bearer', description: 'The token from POST /api/sessions.' },
          metrics: { type: 'http', scheme: 'bearer', description: 'TILLSYNC_METRICS_TOKEN.' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The client's address, through trusted proxies (IPv4 mapped into IPv6 written as IPv4). */
    clientAddress: string;
  }
}
