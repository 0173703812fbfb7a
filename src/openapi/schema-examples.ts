import type { OpenAPIObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';

/** The schema a `$ref` names, or the schema itself. */
export function resolveSchema(document: OpenAPIObject, schema: SchemaObject | ReferenceObject): SchemaObject {
  if (!('$ref' in schema)) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = document.components?.schemas?.[name];
  if (!target) throw new Error(`the document has no schema ${schema.$ref}`);
  return resolveSchema(document, target);
}

/** A date in the examples, the same in every one so that the document does not change from one build to the next. */
const EXAMPLE_TIME = '2026-03-14T09:26:53.589Z';

/**
 * An example value of a schema: its own example, else one built from its
 * parts (an object from its properties' examples, the first of a `oneOf`, the
 * first enum value). Optional properties without an example are left out.
 */
export function exampleOf(document: OpenAPIObject, raw: SchemaObject | ReferenceObject): unknown {
  const schema = resolveSchema(document, raw);
  if (schema.example !== undefined) return schema.example;
  if (schema.oneOf?.length) return exampleOf(document, schema.oneOf[0]);
  if (schema.allOf?.length) return exampleOf(document, schema.allOf[0]);
  if (schema.enum?.length) return schema.enum[0];
  switch (schema.type) {
    case 'object': {
      const required = new Set(schema.required ?? []);
      const example: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(schema.properties ?? {}) as Array<
        [string, SchemaObject | ReferenceObject]
      >) {
        const resolved = resolveSchema(document, property);
        if (required.has(name) || resolved.example !== undefined || '$ref' in property || resolved.type === 'array') {
          example[name] = exampleOf(document, property);
        }
      }
      return example;
    }
    case 'array':
      return schema.items ? [exampleOf(document, schema.items)] : [];
    case 'integer':
    case 'number':
      return schema.minimum ?? 0;
    case 'boolean':
      return true;
    case 'string':
      return schema.format === 'date-time' ? EXAMPLE_TIME : schema.nullable ? null : '';
    default:
      return null;
  }
}
