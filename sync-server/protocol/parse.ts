import type { z } from 'zod';
import { AppError, type Problem } from './errors';

/** A problem's place in the input, as `lines[1].quantity`. */
export type PathLabel = (path: readonly PropertyKey[]) => string;
const dotted: PathLabel = (path) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');

/** Parses boundary input; the first problem becomes an INVALID_PAYLOAD error that names its path. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = dotted(issue.path);
  throw new AppError('INVALID_PAYLOAD', path ? `${path}: ${issue.message}` : issue.message, path || undefined);
}

/** Problems listed at most, so that a hostile body cannot make an answer of megabytes. */
const MAX_PROBLEMS = 200;

/**
 * Parses a request body and lists every problem at once, each named by `label` (a menu names its
 * items: "Big Mac · price"). Over REST only: terminals' acknowledgements keep their one problem.
 */
export function parseAll<S extends z.ZodType>(schema: S, input: unknown, label: PathLabel = dotted): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw labelProblems(result.error.issues, label);
}

/** The INVALID_PAYLOAD error listing `issues` (at least one), each named by `label`. */
export function labelProblems(issues: readonly { path: readonly PropertyKey[]; message: string }[], label: PathLabel = dotted): AppError {
  const problems: Problem[] = issues.slice(0, MAX_PROBLEMS).map((issue) => {
    const where = issue.path.length > 0 ? label(issue.path) : '';
    return { path: dotted(issue.path), message: where ? `${where}: ${issue.message}` : issue.message };
  });
  return refusal(problems, issues.length);
}

/** The INVALID_PAYLOAD error listing `problems` (at least one) of `total`, led by the first. */
export function refusal(problems: Problem[], total = problems.length): AppError {
  const [first] = problems;
  const more = total - 1;
  const error = new AppError('INVALID_PAYLOAD', more > 0 ? `${first!.message} (and ${more} more)` : first!.message, first!.path || undefined);
  error.problems = problems;
  return error;
}
