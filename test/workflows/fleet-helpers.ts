/**
 * What the fleet tests share: a manifest in the template form over uploaded backups, and how many of a set of
 * migrations ran at once, read from Temporal's own start and close times.
 */
import type { Client } from '@temporalio/client';
import { SAMPLE_ROLE_ARN } from '../../scripts/fixtures/sample-spec';
import { migrationWorkflowId } from '../../workflows/ids';
import { uniqueName } from '../helpers/stack';

/** A template-form manifest: `count` databases named `<prefix>-<n>` restored from `backup`. */
export function fleetManifest(opts: {
  backup: { bucket: string; prefix: string };
  count: number;
  options?: Record<string, unknown>;
  /** Per-database overrides by index. */
  overrides?: Record<number, unknown>;
  specOptions?: Record<string, unknown>;
}) {
  const prefix = uniqueName('f');
  const ids = Array.from({ length: opts.count }, (_, i) => `${prefix}-${i + 1}`);
  return {
    ids,
    workflowIds: ids.map((id) => migrationWorkflowId('us-east-1', id)),
    manifest: {
      name: prefix,
      options: opts.options ?? {},
      template: {
        region: 'us-east-1',
        restore: {
          Engine: 'aurora-mysql',
          EngineVersion: '5.7.mysql_aurora.2.12.0',
          MasterUsername: 'admin',
          SourceEngine: 'mysql',
          SourceEngineVersion: '5.7.44',
          S3BucketName: opts.backup.bucket,
          S3Prefix: opts.backup.prefix,
          S3IngestionRoleArn: SAMPLE_ROLE_ARN,
        },
        instances: [{ DBInstanceIdentifier: '{id}-writer', DBInstanceClass: 'db.r6g.large' }],
        options: { pollInterval: '1s', ...opts.specOptions },
      },
      databases: ids.map((id, i) => ({ id, ...(opts.overrides?.[i] ? { overrides: opts.overrides[i] } : {}) })),
    },
  };
}

/** Start and close times of each migration that exists (undefined for one never started). */
export async function executionSpans(client: Client, workflowIds: string[]) {
  return Promise.all(
    workflowIds.map(async (id) => {
      try {
        const d = await client.workflow.getHandle(id).describe();
        return {
          id,
          status: d.status.name,
          start: d.startTime.getTime(),
          end: d.closeTime?.getTime() ?? Number.MAX_SAFE_INTEGER,
          parent: d.raw.workflowExecutionInfo?.parentExecution?.workflowId ?? undefined,
        };
      } catch {
        return undefined;
      }
    }),
  );
}

/** The most spans open at one instant (a span closing at t does not overlap one starting at t). */
export function maxOverlap(spans: { start: number; end: number }[]): number {
  const events = spans.flatMap((s) => [
    [s.start, 1],
    [s.end, -1],
  ]);
  events.sort((a, b) => (a[0]! - b[0]! !== 0 ? a[0]! - b[0]! : a[1]! - b[1]!));
  let open = 0;
  let most = 0;
  for (const [, delta] of events) {
    open += delta!;
    most = Math.max(most, open);
  }
  return most;
}

/** Polls `read` until `done` holds (at most `timeoutMs`). */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
