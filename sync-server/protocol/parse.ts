import type { z } from 'zod';
import { AppError } from './errors';

/** Parses boundary input; the first problem becomes an INVALID_PAYLOAD error that names its path. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  throw new AppError('INVALID_PAYLOAD', path ? `${path}: ${issue.message}` : issue.message, path || undefined);
}
