// A small router for the server's HTTP endpoints: /health and the admin API. Handlers read as
// validate → persist → answer; only known error codes reach a client.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { clientAddress, type TrustedProxies } from '../limits/clientAddress';
import type { Logger } from '../log';
import { AppError, toErrorBody, type ErrorCode } from '../protocol/errors';
import { parseAll } from '../protocol/parse';

export interface HttpRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  /** The query string's parameters (the last of a repeated one). */
  query: Record<string, string>;
  /** The client's address (through trusted proxies), for limits and the audit log. */
  ip: string;
  header(name: string): string | undefined;
  /** Reads and validates a JSON body of at most `maxBytes`. */
  json<S extends z.ZodType>(schema: S, maxBytes?: number): Promise<z.output<S>>;
}

export interface HttpResponse {
  status: number;
  /** Sent as JSON, unless `contentType` says what this text is. */
  body?: unknown;
  contentType?: string;
}

export type Handler = (request: HttpRequest) => Promise<HttpResponse>;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  INVALID_PAYLOAD: 400,
  AUTH_REQUIRED: 401,
  AUTH_INVALID: 401,
  FORBIDDEN_FOR_ROLE: 403,
  ACCOUNT_LOCKED: 423,
  UNKNOWN_OPERATION: 404,
  STORE_NOT_FOUND: 404,
  DEVICE_NOT_FOUND: 404,
  ORDER_NOT_FOUND: 404,
  MENU_VERSION_UNKNOWN: 404,
  UNKNOWN_ITEM: 404,
  ORDER_PREFIXES_EXHAUSTED: 409,
  ADMIN_EXISTS: 409,
  LAST_OWNER: 409,
  ADMIN_NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

const DEFAULT_MAX_BODY = 64 * 1024;

async function readJson(raw: IncomingMessage, maxBytes: number): Promise<unknown> {
  if (!/^application\/json\b/i.test(raw.headers['content-type'] ?? '')) throw new AppError('INVALID_PAYLOAD', 'Send the body as application/json.');
  const declared = Number(raw.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `The body may be at most ${maxBytes} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of raw) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `The body may be at most ${maxBytes} bytes.`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new AppError('INVALID_PAYLOAD', 'The body is not valid JSON.');
  }
}

export class Router {
  private routes: Route[] = [];

  constructor(
    private readonly log: Logger,
    private readonly trustProxy: TrustedProxies,
  ) {}

  on(method: string, path: string, handler: Handler): this {
    const keys: string[] = [];
    const pattern = new RegExp(`^${path.replace(/:(\w+)/g, (_, key: string) => (keys.push(key), '([^/]+)'))}$`);
    this.routes.push({ method, pattern, keys, handler });
    return this;
  }

  /** Answers the request if a route matches; returns false to let others (Socket.IO) have it. */
  async dispatch(raw: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(raw.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const matching = this.routes.filter((r) => r.pattern.test(path));
    if (matching.length === 0) return false;
    const route = matching.find((r) => r.method === raw.method);
    let response: HttpResponse;
    if (!route) {
      response = { status: 405, body: { error: { code: 'UNKNOWN_OPERATION', message: `${raw.method} is not allowed here.` } } };
    } else {
      const values = route.pattern.exec(path)!.slice(1);
      const request: HttpRequest = {
        method: raw.method!,
        path,
        params: Object.fromEntries(route.keys.map((k, i) => [k, decodeURIComponent(values[i]!)])),
        query: Object.fromEntries(url.searchParams),
        ip: clientAddress(raw, this.trustProxy),
        header: (name) => {
          const value = raw.headers[name.toLowerCase()];
          return Array.isArray(value) ? value[0] : value;
        },
        json: async (schema, maxBytes = DEFAULT_MAX_BODY) => parseAll(schema, await readJson(raw, maxBytes)),
      };
      try {
        response = await route.handler(request);
      } catch (error) {
        if (!(error instanceof AppError)) this.log.error('http request failed', { path, error: String(error) });
        const body = toErrorBody(error);
        response = { status: STATUS_OF[body.code] ?? 422, body: { error: body } };
      }
    }
    const retryAfterMs = (response.body as { error?: { retryAfterMs?: number } } | undefined)?.error?.retryAfterMs;
    res.writeHead(response.status, {
      'content-type': response.contentType ?? 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...(retryAfterMs ? { 'retry-after': String(Math.ceil(retryAfterMs / 1000)) } : {}),
    });
    res.end(response.body === undefined ? undefined : response.contentType ? String(response.body) : JSON.stringify(response.body));
    if (!raw.complete) raw.resume(); // drain what an early refusal left unread
    return true;
  }
}
