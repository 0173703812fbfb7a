import type { Server } from 'node:http';
import type { OpenAPIObject } from '@nestjs/swagger';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { recordContractViolation } from './contract-violations';
import { type CapturedResponse, onEachResponse } from './response-capture';

type Json = Record<string, unknown>;

/** Where the document's component schemas live for ajv, which resolves `$ref`s by URI. */
const SCHEMA_BASE = 'https://openapi.gateway.invalid/components/schemas/';

function withAbsoluteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withAbsoluteRefs);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [
      key,
      key === '$ref' && typeof child === 'string'
        ? child.replace('#/components/schemas/', SCHEMA_BASE)
        : withAbsoluteRefs(child),
    ]),
  );
}

interface Operation {
  method: string;
  path: string;
  segments: string[];
  responses: Record<string, Json>;
}

/**
 * What the OpenAPI document promises about each answer: that its operation
 * documents the status, that the declared headers are there, and that the
 * body matches the schema for that status, checked by ajv in strict mode
 * (OpenAPI 3.0's `nullable` included, every format known).
 */
export class ResponseContract {
  private readonly ajv = new Ajv({ strict: true, allErrors: true });
  private readonly operations: Operation[] = [];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenAPIObject) {
    addFormats(this.ajv);
    this.ajv.addFormat('password', true);
    this.ajv.addKeyword('example');
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
      this.ajv.addSchema(withAbsoluteRefs(schema) as Json, `${SCHEMA_BASE}${name}`);
    }
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item as Record<string, Json>)) {
        this.operations.push({
          method: method.toUpperCase(),
          path,
          segments: path.split('/'),
          responses: operation.responses as Record<string, Json>,
        });
      }
    }
    // The most literal template first: `/rules/test` before `/rules/{ruleId}`.
    const literals = (operation: Operation) => operation.segments.filter((s) => !s.startsWith('{')).length;
    this.operations.sort((a, b) => literals(b) - literals(a));
  }

  /** What is wrong with the answer, or null when it keeps the contract (or is of no documented operation). */
  violationOf(response: CapturedResponse): string | null {
    const path = response.url.split('?')[0];
    const segments = path.split('/');
    const operation = this.operations.find(
      (candidate) =>
        candidate.method === response.method &&
        candidate.segments.length === segments.length &&
        candidate.segments.every((s, i) => (s.startsWith('{') ? segments[i] !== '' : s === segments[i])),
    );
    if (!operation) return null;
    const where = `${response.method} ${response.url} → ${response.statusCode} (${operation.method} ${operation.path})`;
    const declared = operation.responses[String(response.statusCode)];
    if (!declared) return `${where}: the document has no ${response.statusCode} for this operation`;
    const answer = this.resolve(declared);

    const missingHeaders = Object.entries((answer.headers ?? {}) as Record<string, Json>)
      .filter(([name, header]) => this.resolve(header).required && response.headers[name.toLowerCase()] === undefined)
      .map(([name]) => name);
    if (missingHeaders.length > 0) return `${where}: the answer lacks the header(s) ${missingHeaders.join(', ')}`;

    const schema = ((answer.content as Record<string, Json> | undefined)?.['application/json'] as Json | undefined)
      ?.schema as Json | undefined;
    if (!schema) {
      return response.body.length === 0 ? null : `${where}: the document declares no body, but one was sent`;
    }
    let body: unknown;
    try {
      body = JSON.parse(response.body.toString('utf8'));
    } catch {
      return `${where}: the body is not JSON: ${response.body.toString('utf8').slice(0, 200)}`;
    }
    const validate = this.validatorFor(`${operation.method} ${operation.path} ${response.statusCode}`, schema);
    if (validate(body)) return null;
    return `${where}: the body does not match the document:\n${this.ajv.errorsText(validate.errors, { separator: '\n' })}\n${JSON.stringify(body).slice(0, 1000)}`;
  }

  private validatorFor(key: string, schema: Json): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(withAbsoluteRefs(schema) as Json);
      this.validators.set(key, validate);
    }
    return validate;
  }

  /** A response or header, following its `$ref` into the document's components. */
  private resolve(value: Json): Json {
    if (typeof value.$ref !== 'string') return value;
    const [, , kind, name] = value.$ref.split('/');
    return ((this.document.components as Record<string, Record<string, Json>>)[kind] ?? {})[name];
  }
}

/** One contract per distinct document: every app of a run serves the same one. */
const contracts = new Map<string, ResponseContract>();

/**
 * Checks every answer `server` gives against `document`, recording each
 * violation for the test that is running (see contract-violations.ts). The
 * test apps do this, so every e2e test is also a test of the document.
 */
export function checkResponsesAgainst(server: Server, document: OpenAPIObject): void {
  const key = JSON.stringify(document);
  let contract = contracts.get(key);
  if (!contract) {
    contract = new ResponseContract(document);
    contracts.set(key, contract);
  }
  const checked = contract;
  onEachResponse(server, (response) => {
    const violation = checked.violationOf(response);
    if (violation) recordContractViolation(violation);
  });
}
