import { isUtf8 } from 'node:buffer';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { DomainError } from '@common';

/** The methods whose JSON bodies are read; a body on a GET or DELETE is ignored, as the routes expect none. */
export const JSON_BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH']);

/**
 * How deep an admin API body may nest. The deepest the API takes is a card's
 * button (4 levels); class-transformer recurses once per level and overflows
 * the stack at about 2,000, so anything deeper than this is refused first.
 */
export const MAX_BODY_DEPTH = 32;

/** A surrogate that is not half of a pair: in a `u` regex, a pair reads as one code point of another category. */
const LONE_SURROGATE = /\p{Cs}/u;

export interface BodyProblem {
  /** The field, as validation errors name them (`elements.0.title`); for nesting, the top-level field. */
  field: string;
  message: string;
}

/**
 * The first thing in a parsed JSON body that the validators cannot be
 * trusted with: a list instead of an object, nesting deeper than `maxDepth`, or a text (value or key)
 * that is not well-formed Unicode. A lone surrogate (`"\ud800"`) makes some
 * validators throw, and would be stored as U+FFFD, one or three of them
 * depending on the database. Walks without recursion, so no body can
 * overflow the stack here.
 */
export function findBodyProblem(body: unknown, maxDepth = MAX_BODY_DEPTH): BodyProblem | null {
  // class-transformer would turn a list into a list of DTOs, which no route expects.
  if (Array.isArray(body)) return { field: 'body', message: 'the request body must be a JSON object, not a list' };
  const pending: Array<{ value: unknown; path: string[] }> = [{ value: body, path: [] }];
  while (pending.length > 0) {
    const { value, path } = pending.pop()!;
    const field = path.join('.');
    if (typeof value === 'string' && LONE_SURROGATE.test(value)) {
      return { field, message: `${field} must be well-formed Unicode text (it holds a lone surrogate)` };
    }
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= maxDepth) {
      return { field: path[0], message: `${path[0]} nests deeper than ${maxDepth} levels` };
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = [...path, key];
      if (LONE_SURROGATE.test(key)) {
        const at = childPath.join('.');
        return { field: at, message: `the field name ${at} must be well-formed Unicode text` };
      }
      pending.push({ value: child, path: childPath });
    }
  }
  return null;
}

/**
 * Refuses, before any validation or transformation, a JSON body whose bytes
 * are not UTF-8 (they would be read as U+FFFD, not as what was sent): for
 * `express.json({ verify })`.
 */
export function assertUtf8JsonBody(_req: unknown, _res: unknown, bytes: Buffer): void {
  if (!isUtf8(bytes)) throw new DomainError('validation_failed', 'the request body is not valid UTF-8');
}

/**
 * Refuses a parsed JSON body with a problem `findBodyProblem` finds: 400,
 * naming the field. Raw bodies (the webhooks' bytes) are left to their own checks.
 */
export const refuseUnsafeJsonBodies: RequestHandler = (req: Request, _res: Response, next: NextFunction) => {
  if (Buffer.isBuffer(req.body)) return next();
  const problem = findBodyProblem(req.body);
  if (!problem) return next();
  next(new DomainError('validation_failed', problem.message, { [problem.field]: problem.message }));
};
