/**
 * Writes client/spec/migration-spec.schema.json from the zod schema. Run after changing the schema:
 * `npm run build && node lib/client/spec/write-json-schema.js && npx prettier --write client/spec/*.json` (a test
 * compares the file's content, not its formatting, with the zod schema).
 */
import { writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { migrationSpecJsonSchemaText } from './json-schema';

/** Where the published schema lives, relative to the repository root. */
export const SCHEMA_FILE = join('client', 'spec', 'migration-spec.schema.json');

async function main(): Promise<void> {
  const compiled = __dirname.includes(`${sep}lib${sep}`);
  const target = join(__dirname, compiled ? '../../..' : '../..', SCHEMA_FILE);
  await writeFile(target, migrationSpecJsonSchemaText());
  console.log(`wrote ${target}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
