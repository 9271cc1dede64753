/**
 * Reading a spec file (JSON or YAML) from disk, with errors that name the file and what went wrong.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** A spec file could not be read or is not valid JSON/YAML. */
export class SpecFileError extends Error {
  override readonly name = 'SpecFileError';
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${message}`, options);
  }
}

/** Reads a `.json`, `.yaml` or `.yml` spec file (other names: tried as YAML, a superset of JSON). */
export async function loadSpecFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : 'cannot be read';
    throw new SpecFileError(file, reason, { cause: err });
  }
  return parseSpecText(text, file);
}

/** Parses spec text as JSON (for `.json`) or YAML (anything else). */
export function parseSpecText(text: string, file = 'spec'): unknown {
  if (extname(file).toLowerCase() === '.json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new SpecFileError(file, `is not valid JSON (${(err as Error).message})`, { cause: err });
    }
  }
  try {
    return parseYaml(text) as unknown;
  } catch (err) {
    const first = ((err as Error).message.split('\n')[0] ?? '').trim();
    throw new SpecFileError(file, `is not valid YAML (${first})`, { cause: err });
  }
}
