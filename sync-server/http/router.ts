// A small router for the server's few HTTP endpoints: /health now, the admin API later.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, toErrorBody, type ErrorCode } from '../protocol/errors';
import type { Logger } from '../log';

export interface HttpRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  raw: IncomingMessage;
}

export interface HttpResponse {
  status: number;
  body: unknown;
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
  PAYLOAD_TOO_LARGE: 413,
  AUTH_REQUIRED: 401,
  AUTH_INVALID: 401,
  FORBIDDEN_FOR_ROLE: 403,
  UNKNOWN_OPERATION: 404,
  ORDER_NOT_FOUND: 404,
  MENU_VERSION_UNKNOWN: 404,
  UNAVAILABLE: 503,
};

export class Router {
  private routes: Route[] = [];

  constructor(private readonly log: Logger) {}

  on(method: string, path: string, handler: Handler): this {
    const keys: string[] = [];
    const pattern = new RegExp(`^${path.replace(/:(\w+)/g, (_, key: string) => (keys.push(key), '([^/]+)'))}$`);
    this.routes.push({ method, pattern, keys, handler });
    return this;
  }

  /** Answers the request if a route matches; returns false to let others (Socket.IO) have it. */
  async dispatch(raw: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = new URL(raw.url ?? '/', 'http://localhost').pathname;
    const matching = this.routes.filter((r) => r.pattern.test(path));
    if (matching.length === 0) return false;
    const route = matching.find((r) => r.method === raw.method);
    let response: HttpResponse;
    if (!route) {
      response = { status: 405, body: { error: { code: 'UNKNOWN_OPERATION', message: `${raw.method} is not allowed here.` } } };
    } else {
      const values = route.pattern.exec(path)!.slice(1);
      const params = Object.fromEntries(route.keys.map((k, i) => [k, decodeURIComponent(values[i]!)]));
      try {
        response = await route.handler({ method: raw.method!, path, params, raw });
      } catch (error) {
        if (!(error instanceof AppError)) this.log.error('http request failed', { path, error: String(error) });
        const body = toErrorBody(error);
        response = { status: STATUS_OF[body.code] ?? (body.code === 'INTERNAL' ? 500 : 422), body: { error: body } };
      }
    }
    res.writeHead(response.status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(response.body));
    return true;
  }
}
