/**
 * The RDS events of one migration: those of its cluster and of each of its instances since it started, read
 * page by page through DescribeEvents. What the events mean (a failure's cause, the recovered binlog position)
 * is for the callers; errors go through the one AWS boundary.
 */
import { DescribeEventsCommand, type Event, type RDSClient, type SourceType } from '@aws-sdk/client-rds';
import { classifyAwsError } from '../aws-errors';

/** Whose events: the migration's cluster and instances, and when it started (ISO 8601). */
export interface MigrationEventsInput {
  clusterId: string;
  instanceIds: string[];
  since: string;
}

/** One event and the resource it was read for. */
export interface SourcedEvent {
  event: Event;
  sourceType: SourceType;
  sourceId: string;
}

/**
 * Every event of the cluster, then of each instance, since a few minutes before `since` (the restore may have
 * been started by an earlier attempt of this migration), in the order RDS returns them.
 */
export async function readMigrationEvents(rds: RDSClient, input: MigrationEventsInput): Promise<SourcedEvent[]> {
  const instance: SourceType = 'db-instance';
  const sources: { type: SourceType; id: string }[] = [
    { type: 'db-cluster', id: input.clusterId },
    ...input.instanceIds.map((id) => ({ type: instance, id })),
  ];
  const startTime = new Date(new Date(input.since).getTime() - 5 * 60_000);
  const events: SourcedEvent[] = [];
  for (const source of sources) {
    let marker: string | undefined;
    do {
      try {
        const page = await rds.send(
          new DescribeEventsCommand({
            SourceType: source.type,
            SourceIdentifier: source.id,
            StartTime: startTime,
            EndTime: new Date(),
            MaxRecords: 100,
            Marker: marker,
          }),
        );
        for (const event of page.Events ?? []) events.push({ event, sourceType: source.type, sourceId: source.id });
        marker = page.Marker;
      } catch (err) {
        throw classifyAwsError(err, { operation: `DescribeEvents for ${source.type} ${source.id}` });
      }
    } while (marker);
  }
  return events;
}
