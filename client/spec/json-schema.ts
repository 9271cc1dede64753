/**
 * The spec as JSON Schema (draft 2020-12), generated from the zod schema: for editors, the OpenAPI document and
 * `client/spec/migration-spec.schema.json`.
 */
import { z } from 'zod';
import { migrationSpecSchema } from './schema';

/** Public URL-like identifier of the published schema. */
export const SPEC_SCHEMA_ID = 'https://github.com/aurora-migrate/aurora-migrate/client/spec/migration-spec.schema.json';

/** The spec's JSON Schema, as the input side (what a user writes). */
export function migrationSpecJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(migrationSpecSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return { $schema: schema.$schema, $id: SPEC_SCHEMA_ID, ...schema };
}

/** The schema file's text exactly as committed (two-space JSON plus a newline). */
export function migrationSpecJsonSchemaText(): string {
  return `${JSON.stringify(migrationSpecJsonSchema(), null, 2)}\n`;
}
