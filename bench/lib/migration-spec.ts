/** The migration spec every benchmark migration uses, and the direct RestoreDBClusterFromS3 the peers issue. */
import { CreateDBInstanceCommand, RestoreDBClusterFromS3Command, type RDSClient } from '@aws-sdk/client-rds';
import { sampleSpec } from '../../scripts/fixtures/sample-spec';
import type { MigrationInput, MigrationOptions } from '../../workflows/types';
import { realMs, type TimeScale } from './settings';

/** Where the backup is. */
export interface BackupLocation {
  bucket: string;
  prefix: string;
}

/** The spec's floor for poll intervals (client/spec/schema.ts): Temporal's timer queue fires no sooner. */
const SPEC_MIN_POLL_MS = 1000;

/** Our cadence in simulated seconds; undefined leaves the spec's default (1 min and 15 min). */
export interface BenchPolling {
  pollSeconds?: number;
  maxPollSeconds?: number;
}

/**
 * A valid spec for a backup: one writer, quick validation, our cadence scaled to real time. A scaled cadence
 * the spec would refuse (under 1 s real) is refused here too, naming the scale to use instead: the benchmark
 * measures only what a user can configure.
 */
export function benchSpec(
  clusterId: string,
  backup: BackupLocation,
  scale: TimeScale,
  polling: BenchPolling = {},
): MigrationInput {
  const options: MigrationOptions = { validation: 'quick' };
  const poll = polling.pollSeconds ?? 60;
  const max = polling.maxPollSeconds ?? 900;
  for (const [field, seconds] of [
    ['pollInterval', poll],
    ['maxPollInterval', max],
  ] as const) {
    const ms = Math.round(realMs(scale, seconds));
    if (ms < SPEC_MIN_POLL_MS) {
      throw new Error(
        `options.${field} of ${seconds} s simulated is ${ms} ms real at time scale ${scale.label}, under the spec's ` +
          `1 s floor: use a time scale of at least 1/${Math.floor(seconds)} for this benchmark`,
      );
    }
    options[field] = ms;
  }
  return sampleSpec({ clusterId, ...backup, sourceEngineVersion: '8.0.35', options });
}

/** What a peer tool does first: RestoreDBClusterFromS3 with the same parameters as our spec. */
export async function restoreDirectly(rds: RDSClient, clusterId: string, backup: BackupLocation): Promise<void> {
  const { restore } = sampleSpec({ clusterId, ...backup, sourceEngineVersion: '8.0.35' });
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
