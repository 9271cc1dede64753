/**
 * The migration spec: schema, parser, file loader and JSON Schema.
 */
export { formatSpecIssues, type SpecIssue } from './issue';
export { parseSpec, type ParseSpecOptions, type ParseSpecResult } from './parse';
export { loadSpecFile, parseSpecText, SpecFileError } from './load';
export { migrationSpecJsonSchema } from './json-schema';
export { migrationSpecSchema } from './schema';
