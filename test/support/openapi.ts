import type { Server } from 'node:http';
import type { OpenAPIObject } from '@nestjs/swagger';
import request from 'supertest';
import { exampleOf } from '@openapi/schema-examples';

type Schema = Record<string, unknown>;
export type HttpMethod = 'get' | 'post' | 'put' | 'delete' | 'patch';

/** One operation of the service's OpenAPI document. */
export interface ApiOperation {
  method: HttpMethod;
  /** As the document writes it: `/accounts/{accountId}/rules/{ruleId}`. */
  path: string;
  operationId: string;
  /** The path parameters, in the order they appear. */
  params: string[];
  /** Behind the admin bearer token. */
  secured: boolean;
  /** The JSON request body's schema, when the operation takes one. */
  bodySchema: Schema | null;
  /** The body's example the document gives (its first, where it gives several). */
  bodyExample: unknown;
}

const METHODS: HttpMethod[] = ['get', 'post', 'put', 'delete', 'patch'];

export interface ApiDocument {
  raw: Schema;
  operations: ApiOperation[];
}

/** The OpenAPI document the running service serves at /docs-json, so that new routes are covered as they appear. */
export async function fetchApiDocument(server: Server): Promise<ApiDocument> {
  const raw = (await request(server).get('/docs-json').expect(200)).body as Schema;
  return { raw, operations: operationsOf(raw) };
}

/** The operations of a document, in its order. */
export function operationsOf(raw: Schema): ApiOperation[] {
  const paths = raw.paths as Record<string, Record<string, Schema>>;
  const operations: ApiOperation[] = [];
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const content = (operation.requestBody as Schema | undefined)?.content as Record<string, Schema> | undefined;
      const media = content?.['application/json'];
      const examples = Object.values((media?.examples ?? {}) as Record<string, { value: unknown }>);
      operations.push({
        method,
        path,
        operationId: String(operation.operationId),
        params: [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]),
        secured: Array.isArray(operation.security) && operation.security.length > 0,
        bodySchema: (media?.schema as Schema | undefined) ?? null,
        bodyExample: media?.example ?? examples[0]?.value,
      });
    }
  }
  return operations;
}

/** The path with each `{param}` replaced (values are URL-encoded). */
export function fillPath(operation: ApiOperation, values: Record<string, string>): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    if (!(name in values))
      throw new Error(`no value for {${name}} in ${operation.method.toUpperCase()} ${operation.path}`);
    return encodeURIComponent(values[name]);
  });
}

/**
 * A body the operation documents as valid: the document's own example of
 * its schema (required properties, and every property with an example).
 */
export function sampleBody(document: Schema, schema: Schema | null): unknown {
  if (schema === null) return undefined;
  return exampleOf(document as unknown as OpenAPIObject, schema);
}
