/** The migration spec every benchmark migration uses, and the direct RestoreDBClusterFromS3 the peers issue. */
import { CreateDBInstanceCommand, RestoreDBClusterFromS3Command, type RDSClient } from '@aws-sdk/client-rds';
import { sampleSpec } from '../../scripts/fixtures/sample-spec';
import type { MigrationInput } from '../../workflows/types';

/** Where the backup is. */
export interface BackupLocation {
  bucket: string;
  prefix: string;
}

/** A valid spec for the shared 8.0 backup: one writer, quick validation, the given poll interval (ms). */
export function benchSpec(clusterId: string, backup: BackupLocation, pollIntervalMs: number): MigrationInput {
  return sampleSpec({
    clusterId,
    ...backup,
    sourceEngineVersion: '8.0.35',
    options: { pollInterval: Math.max(1, Math.round(pollIntervalMs)), validation: 'quick' },
  });
}

/** What a peer tool does first: RestoreDBClusterFromS3 with the same parameters as our spec. */
export async function restoreDirectly(rds: RDSClient, clusterId: string, backup: BackupLocation): Promise<void> {
  const { restore } = benchSpec(clusterId, backup, 1000);
  await rds.send(new RestoreDBClusterFromS3Command({ ...restore }));
}

/** What a peer tool does once the cluster is available: create the writer (the "next step"). */
export async function createWriterDirectly(rds: RDSClient, clusterId: string): Promise<void> {
  await rds.send(
    new CreateDBInstanceCommand({
      DBClusterIdentifier: clusterId,
      DBInstanceIdentifier: `${clusterId}-writer`,
      DBInstanceClass: 'db.r6g.large',
      Engine: 'aurora-mysql',
    }),
  );
}
