/** The validation summary carried in progress and results: the report without its bulky or internal parts. */
import type { ValidationReport, ValidationSummary } from './types';

/** Condenses a validation report into the summary the migration carries. */
export function summarizeValidation(report: ValidationReport): ValidationSummary {
  return {
    ok: report.ok,
    mode: report.mode,
    format: report.format,
    objectCount: report.objectCount,
    totalBytes: report.totalBytes,
    serverVersion: report.serverVersion,
    toolVersion: report.toolVersion,
    errors: report.findings.filter((f) => f.severity === 'error').length,
    warnings: report.findings.filter((f) => f.severity === 'warning').length,
    findings: report.findings.filter((f) => f.severity !== 'info'),
    binlog: report.binlog,
  };
}
