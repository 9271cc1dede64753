/**
 * Reading the spec argument of `start` and `validate`: file → parse → issues as a usage error (exit 2).
 */
import { formatSpecIssues } from '../spec/issue';
import { loadSpecFile, SpecFileError } from '../spec/load';
import { parseSpec } from '../spec/parse';
import type { MigrationInput } from '../../workflows/types';
import type { CliContext } from './context';
import { UsageError } from './exit-codes';

/** The validated spec in `file`, or a UsageError listing every `path: message`. */
export async function readSpec(ctx: CliContext, file: string): Promise<MigrationInput> {
  let raw: unknown;
  try {
    raw = await loadSpecFile(file);
  } catch (err) {
    if (err instanceof SpecFileError) throw new UsageError(err.message);
    throw err;
  }
  const parsed = parseSpec(raw, {
    defaultRegion: ctx.config().aws.region,
    payloadsEncrypted: ctx.config().codecKeys.length > 0,
  });
  if (!parsed.ok) {
    throw new UsageError(`${file} is not a valid migration spec:`, formatSpecIssues(parsed.issues).split('\n'));
  }
  return parsed.spec;
}
