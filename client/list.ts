/**
 * `listMigrations`: visibility queries over the migration's search attributes and `ExecutionStatus`.
 */
import type { Client, WorkflowExecutionStatusName } from '@temporalio/client';
import { SearchAttributeKeys, WORKFLOW_TYPE } from '../workflows/ids';
import { type MigrationStep, MigrationSteps } from '../workflows/types';

/** Execution states a list can filter on, as the CLI and HTTP API spell them. */
export const MigrationStates = ['running', 'completed', 'failed', 'cancelled', 'terminated', 'timed-out'] as const;
/** One filterable execution state. */
export type MigrationState = (typeof MigrationStates)[number];

const STATUS_NAMES: Record<MigrationState, string> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Canceled',
  terminated: 'Terminated',
  'timed-out': 'TimedOut',
};

/** Filters of `listMigrations`; all optional and combined with AND. */
export interface ListFilters {
  step?: MigrationStep;
  clusterId?: string;
  state?: MigrationState;
  region?: string;
  taskQueue?: string;
  /** Most items returned. @default 50 */
  limit?: number;
}

/** One migration in a list. */
export interface MigrationListItem {
  workflowId: string;
  runId: string;
  status: WorkflowExecutionStatusName;
  step?: string;
  clusterId?: string;
  region?: string;
  sourceBucket?: string;
  instanceIds: string[];
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601. */
  closedAt?: string;
}

/** A filter value was not acceptable. */
export class ListFilterError extends Error {
  override readonly name = 'ListFilterError';
  constructor(
    readonly filter: string,
    readonly reason: string,
  ) {
    super(`${filter}: ${reason}`);
  }
}

/** The visibility query for `filters` (exported for tests and for the Web UI link). */
export function listQuery(filters: ListFilters): string {
  const clauses = [`WorkflowType = '${WORKFLOW_TYPE}'`];
  if (filters.step !== undefined) {
    if (!MigrationSteps.includes(filters.step)) {
      throw new ListFilterError('step', `must be one of ${MigrationSteps.join(', ')}`);
    }
    clauses.push(`${SearchAttributeKeys.step.name} = '${filters.step}'`);
  }
  if (filters.state !== undefined) {
    const status = STATUS_NAMES[filters.state];
    if (!status) throw new ListFilterError('state', `must be one of ${MigrationStates.join(', ')}`);
    clauses.push(`ExecutionStatus = '${status}'`);
  }
  if (filters.clusterId !== undefined) {
    clauses.push(`${SearchAttributeKeys.clusterId.name} = ${quote('cluster', filters.clusterId.toLowerCase())}`);
  }
  if (filters.region !== undefined) {
    clauses.push(`${SearchAttributeKeys.region.name} = ${quote('region', filters.region)}`);
  }
  if (filters.taskQueue !== undefined) clauses.push(`TaskQueue = ${quote('taskQueue', filters.taskQueue)}`);
  return clauses.join(' AND ');
}

function quote(filter: string, value: string): string {
  if (!/^[\w.:/-]{1,255}$/.test(value)) {
    throw new ListFilterError(filter, 'may contain only letters, digits and . _ : / -');
  }
  return `'${value}'`;
}

/** Lists migrations matching `filters`, newest first. */
export async function listMigrations(client: Client, filters: ListFilters = {}): Promise<MigrationListItem[]> {
  const limit = filters.limit ?? 50;
  const items: MigrationListItem[] = [];
  for await (const info of client.workflow.list({ query: listQuery(filters), pageSize: Math.min(limit, 1000) })) {
    const attributes = info.typedSearchAttributes;
    items.push({
      workflowId: info.workflowId,
      runId: info.runId,
      status: info.status.name,
      step: attributes.get(SearchAttributeKeys.step),
      clusterId: attributes.get(SearchAttributeKeys.clusterId),
      region: attributes.get(SearchAttributeKeys.region),
      sourceBucket: attributes.get(SearchAttributeKeys.sourceBucket),
      instanceIds: attributes.get(SearchAttributeKeys.instanceIds) ?? [],
      startedAt: info.startTime.toISOString(),
      ...(info.closeTime ? { closedAt: info.closeTime.toISOString() } : {}),
    });
    if (items.length >= limit) break;
  }
  return items;
}
