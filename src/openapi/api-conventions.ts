import type {
  ExampleObject,
  HeaderObject,
  MediaTypeObject,
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  PathItemObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger';
import { ERROR_CODES_EXTENSION, type AnyErrorCode, statusOfErrorCode, JSON_BODY_METHODS } from '@http';
import { ERROR_CATALOGUE } from './error-catalogue';
import { exampleOf } from './schema-examples';

/** The component that the filter's one error shape is documented as. */
const ERROR_SCHEMA = 'ErrorResponseDto';
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
type Method = (typeof METHODS)[number];
const EXAMPLE_REQUEST_ID = '4f6d2c1e-8a3b-4e5f-9c7d-1b2a3c4d5e6f';

const HEADERS: Record<string, HeaderObject> = {
  'X-Request-Id': {
    description:
      'the request’s id: the caller’s `X-Request-Id` when it is 1 to 64 letters, digits, `.`, `_` or `-`, ' +
      'else a new one; also the error body’s `requestId` and on every log line of the request',
    required: true,
    schema: { type: 'string', example: EXAMPLE_REQUEST_ID },
  },
  'Retry-After': {
    description: 'seconds until this address may try to authenticate again',
    required: true,
    schema: { type: 'integer', minimum: 1, example: 60 },
  },
  'WWW-Authenticate': {
    description: 'the scheme the admin API expects',
    required: true,
    schema: { type: 'string', example: 'Bearer realm="admin"' },
  },
};
const headerRef = (name: string): ReferenceObject => ({ $ref: `#/components/headers/${name}` });

/**
 * States in the document what holds for every route because of how the
 * service is put together, rather than repeating it on each route:
 *
 * - every answer carries `X-Request-Id`;
 * - the error answers each operation can give, grouped by status, each
 *   status's `error` an enum of its codes with an example of each: the
 *   route's own (`@ApiErrors`) and those every route of its kind shares (the
 *   exception filter's 500, the admin guard's 401 and 429, the database, the
 *   body parser and the validation pipe, the router's path decoding);
 * - request and response objects have exactly the documented properties (the
 *   validation pipe refuses unknown fields; responses are built from whitelists);
 * - each operation has an example request and answer, built from the
 *   properties' examples.
 */
export function applyApiConventions(document: OpenAPIObject): OpenAPIObject {
  const components = (document.components ??= {});
  components.headers = { ...components.headers, ...HEADERS };
  for (const schema of Object.values(components.schemas ?? {})) closeObjectSchema(schema);
  const answered = new Set<AnyErrorCode>();
  for (const pathItem of Object.values(document.paths) as PathItemObject[]) {
    for (const method of METHODS) {
      const operation = pathItem[method];
      if (operation) documentOperation(document, method, operation).forEach((code) => answered.add(code));
    }
  }
  components.examples = { ...components.examples, ...errorExamples([...answered].sort()) };
  return document;
}

/** `additionalProperties: false` on an object schema and the objects nested in it, unless they say otherwise. */
function closeObjectSchema(schema: SchemaObject | ReferenceObject): void {
  if ('$ref' in schema) return;
  if (schema.type === 'object' && schema.properties && schema.additionalProperties === undefined) {
    schema.additionalProperties = false;
  }
  for (const property of Object.values(schema.properties ?? {})) closeObjectSchema(property);
  if (schema.items) closeObjectSchema(schema.items);
}

/** Completes one operation; returns the error codes it answers. */
function documentOperation(document: OpenAPIObject, method: Method, operation: OperationObject): AnyErrorCode[] {
  const extensions = operation as unknown as Record<string, unknown>;
  const ownCodes = (extensions[ERROR_CODES_EXTENSION] as AnyErrorCode[] | undefined) ?? [];
  delete extensions[ERROR_CODES_EXTENSION];

  for (const response of Object.values(operation.responses) as ResponseObject[]) {
    response.headers = { 'X-Request-Id': headerRef('X-Request-Id'), ...response.headers };
    for (const media of Object.values(response.content ?? {})) addExample(document, media);
  }
  for (const media of Object.values(
    (operation.requestBody as { content?: Record<string, MediaTypeObject> })?.content ?? {},
  )) {
    addExample(document, media);
  }

  const codesByStatus = new Map<number, AnyErrorCode[]>();
  for (const code of new Set([...sharedCodes(method, operation), ...ownCodes])) {
    const status = statusOfErrorCode(code);
    codesByStatus.set(status, [...(codesByStatus.get(status) ?? []), code]);
  }
  for (const [status, codes] of [...codesByStatus].sort(([a], [b]) => a - b)) {
    // Operations that answer the same codes share one response component.
    const name = codes.join('_or_');
    (document.components!.responses ??= {})[name] = errorResponse(status, codes);
    operation.responses[String(status)] = { $ref: `#/components/responses/${name}` };
  }
  return [...codesByStatus.values()].flat();
}

/** The codes an operation answers because of the machinery it goes through. */
function sharedCodes(method: Method, operation: OperationObject): AnyErrorCode[] {
  const parameters = (operation.parameters ?? []) as ParameterObject[];
  const codes: AnyErrorCode[] = ['internal_error'];
  if ((operation.security ?? []).length > 0) {
    // Behind the admin guard, and every admin route reads the account (or accounts) from the database.
    codes.push('unauthorized', 'too_many_requests', 'database_unavailable');
  }
  if (parameters.some((parameter) => parameter.in === 'path')) codes.push('bad_request');
  if (parameters.some((parameter) => parameter.in === 'query')) codes.push('validation_failed');
  // The JSON body parser (and the checks after it) read a POST's or PUT's body even where the route takes none.
  if (JSON_BODY_METHODS.has(method.toUpperCase())) {
    codes.push('bad_request', 'validation_failed', 'payload_too_large', 'unsupported_media_type');
  }
  return codes;
}

function errorResponse(status: number, codes: AnyErrorCode[]): ResponseObject {
  const headers: Record<string, ReferenceObject> = { 'X-Request-Id': headerRef('X-Request-Id') };
  if (codes.includes('too_many_requests')) headers['Retry-After'] = headerRef('Retry-After');
  if (codes.includes('unauthorized')) headers['WWW-Authenticate'] = headerRef('WWW-Authenticate');
  return {
    description: codes.map((code) => `\`${code}\`: ${ERROR_CATALOGUE[code].meaning}`).join('; '),
    headers,
    content: {
      'application/json': {
        schema: {
          allOf: [
            { $ref: `#/components/schemas/${ERROR_SCHEMA}` },
            {
              type: 'object',
              required: ['statusCode', 'error'],
              properties: {
                statusCode: { type: 'integer', enum: [status] },
                error: { type: 'string', enum: codes },
              },
            },
          ],
        },
        examples: Object.fromEntries(codes.map((code) => [code, { $ref: `#/components/examples/${code}` }])),
      },
    },
  };
}

/** An example error answer of each code, for the operations' responses to refer to. */
function errorExamples(codes: AnyErrorCode[]): Record<string, ExampleObject> {
  return Object.fromEntries(
    codes.map((code) => {
      const { meaning, example } = ERROR_CATALOGUE[code];
      const value = {
        statusCode: statusOfErrorCode(code),
        error: code,
        message: example,
        requestId: EXAMPLE_REQUEST_ID,
        ...(code === 'validation_failed' ? { fields: { name: example } } : {}),
      };
      return [code, { summary: meaning, value }];
    }),
  );
}

/** An example of the media type built from its schema's property examples, unless it has its own. */
function addExample(document: OpenAPIObject, media: MediaTypeObject): void {
  if (media.example !== undefined || media.examples !== undefined || !media.schema) return;
  media.example = exampleOf(document, media.schema);
}
