/**
 * RDS event notifications (EventBridge events, or SNS notifications carrying either an EventBridge event or
 * RDS's own SNS message format) turned into the workflow's `rdsEvent` early-wake signal.
 */
import type { Client } from '@temporalio/client';
import { Messages, migrationWorkflowId, SearchAttributeKeys } from '../workflows/ids';
import type { RdsEventSignal } from '../workflows/types';
import { RdsEventParseError } from './errors';

/** An RDS event with the Region it happened in (undefined when the notification does not say). */
export interface ParsedRdsEvent {
  region?: string;
  signal: RdsEventSignal;
}

/** Parses an EventBridge RDS event, an SNS envelope around one, or RDS's SNS notification message. */
export function parseRdsEvent(body: unknown): ParsedRdsEvent {
  const record = asRecord(body, '');
  if (typeof record.Message === 'string' && (record.Type === 'Notification' || 'TopicArn' in record)) {
    let inner: unknown;
    try {
      inner = JSON.parse(record.Message);
    } catch (err) {
      throw new RdsEventParseError('Message', 'is not JSON: SNS must carry the RDS event as a JSON string', {
        cause: err,
      });
    }
    return parseRdsEvent(inner);
  }
  if ('detail' in record) return fromEventBridge(record);
  if ('Source ID' in record) return fromSnsMessage(record);
  throw new RdsEventParseError(
    '',
    'expected an EventBridge RDS event (with source "aws.rds" and detail), an SNS notification carrying one, or RDS\'s SNS message (with "Source ID")',
  );
}

function fromEventBridge(record: Record<string, unknown>): ParsedRdsEvent {
  if (record.source !== 'aws.rds') throw new RdsEventParseError('source', 'must be "aws.rds"');
  const detail = asRecord(record.detail, 'detail');
  const sourceType = detail.SourceType;
  const kind = sourceType === 'CLUSTER' ? 'db-cluster' : sourceType === 'DB_INSTANCE' ? 'db-instance' : undefined;
  if (!kind) throw new RdsEventParseError('detail.SourceType', 'must be "CLUSTER" or "DB_INSTANCE"');
  const sourceId = detail.SourceIdentifier;
  if (typeof sourceId !== 'string' || !sourceId) {
    throw new RdsEventParseError('detail.SourceIdentifier', 'must be the cluster or instance identifier');
  }
  return {
    region: typeof record.region === 'string' ? record.region : undefined,
    signal: {
      sourceType: kind,
      sourceId: sourceId.toLowerCase(),
      ...(typeof detail.Message === 'string' ? { message: detail.Message } : {}),
      ...(typeof detail.EventID === 'string' ? { eventId: eventIdOf(detail.EventID) } : {}),
    },
  };
}

function fromSnsMessage(record: Record<string, unknown>): ParsedRdsEvent {
  const source = record['Event Source'];
  const kind = source === 'db-cluster' ? 'db-cluster' : source === 'db-instance' ? 'db-instance' : undefined;
  if (!kind) throw new RdsEventParseError('Event Source', 'must be "db-cluster" or "db-instance"');
  const sourceId = record['Source ID'];
  if (typeof sourceId !== 'string' || !sourceId) {
    throw new RdsEventParseError('Source ID', 'must be the cluster or instance identifier');
  }
  const arn = record['Source ARN'];
  const region = typeof arn === 'string' ? arn.split(':')[3] : undefined;
  const message = record['Event Message'];
  const eventId = record['Event ID'];
  return {
    region: region || undefined,
    signal: {
      sourceType: kind,
      sourceId: sourceId.toLowerCase(),
      ...(typeof message === 'string' ? { message } : {}),
      ...(typeof eventId === 'string' ? { eventId: eventIdOf(eventId) } : {}),
    },
  };
}

/** `RDS-EVENT-0170` from either the bare ID or the documentation URL RDS puts in SNS messages. */
function eventIdOf(raw: string): string {
  return /RDS-EVENT-\d+/.exec(raw)?.[0] ?? raw;
}

function asRecord(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RdsEventParseError(path, path ? 'must be a JSON object' : 'the event must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/**
 * Signals the running migrations the event is about: a cluster event goes to the cluster's migration, an
 * instance event to every running migration listing that instance. Returns the workflow IDs signalled.
 */
export async function sendRdsEvent(client: Client, event: RdsEventSignal, region: string): Promise<string[]> {
  const targets =
    event.sourceType === 'db-cluster'
      ? [migrationWorkflowId(region, event.sourceId)]
      : await runningMigrationsWithInstance(client, event.sourceId, region);
  const delivered: string[] = [];
  for (const workflowId of targets) {
    try {
      await client.workflow.getHandle(workflowId).signal(Messages.rdsEventSignal, event);
      delivered.push(workflowId);
    } catch (err) {
      // Not found or already closed: the event is about a resource no running migration waits for.
      if (!(err instanceof Error && err.name === 'WorkflowNotFoundError')) throw err;
    }
  }
  return delivered;
}

async function runningMigrationsWithInstance(client: Client, instanceId: string, region: string): Promise<string[]> {
  if (!/^[a-z0-9-]{1,63}$/.test(instanceId) || !/^[a-z0-9-]{1,32}$/.test(region)) return [];
  const query =
    `${SearchAttributeKeys.instanceIds.name} = '${instanceId}' AND ${SearchAttributeKeys.region.name} = '${region}'` +
    ` AND ExecutionStatus = 'Running'`;
  const ids: string[] = [];
  for await (const info of client.workflow.list({ query })) ids.push(info.workflowId);
  return ids;
}
