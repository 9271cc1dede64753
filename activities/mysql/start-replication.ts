/**
 * `startReplication`: points the cluster's writer at the source with Aurora's procedures (facts §1) and starts
 * it. v3 calls `mysql.rds_set_external_source`, v2 `mysql.rds_set_external_master`, GTID mode their
 * `_with_auto_position` forms, then `mysql.rds_start_replication`. Every value reaches the procedure as a query
 * parameter; the replication password is read here, at call time, and appears in no message or result.
 *
 * Idempotent: a retry that finds the writer already replicating from this host, port and user leaves the
 * configuration as it is (starting the threads if they are merely stopped) and says `alreadyConfigured`.
 */
import { ApplicationFailure } from '@temporalio/common';
import { FailureTypes } from '../../workflows/errors';
import type { ReplicationMode, ReplicationSource, ReplicationStart } from '../../workflows/replication-types';
import type { BinlogCoordinates } from '../../workflows/types';
import { replicationPassword, type SecretsClientFor } from '../secrets';
import { connectWriter, query, withConnection, type OpenConnection, type WriterLogin } from './connect';
import { explainReplicationStop } from './replication-errors';
import { chooseStartCoordinates, type StartCoordinates } from './start-coordinates';
import { seedGtidSet } from './seed-gtid-set';
import { ReplicaStatusReader, replicationStopped, writerFlavour, type WriterFlavour } from './writer-replication';

/** Input of startReplication. */
export interface StartReplicationInput {
  workflowId: string;
  writer: WriterLogin;
  source: ReplicationSource;
  mode: ReplicationMode;
  /** The backup's `xtrabackup_binlog_info`. */
  backupBinlog?: BinlogCoordinates;
  /** The cluster's recovered-position RDS event. */
  recoveredBinlog?: BinlogCoordinates;
}

/** Configures and starts replication on the writer; see the module comment. */
export async function startReplication(
  secrets: SecretsClientFor,
  input: StartReplicationInput,
): Promise<ReplicationStart> {
  const start = chooseStartCoordinates(input.mode, input.backupBinlog, input.recoveredBinlog);
  return withConnection(connectWriter(secrets, input.writer), async (writer) => {
    const flavour = await writerFlavour(writer);
    const procedure = input.mode === 'gtid' ? flavour.setExternalAutoPosition : flavour.setExternal;
    const result = (alreadyConfigured: boolean): ReplicationStart => ({
      mode: input.mode,
      procedure,
      ...(input.mode === 'binlog-position' ? { file: start.file, position: start.position } : {}),
      ...(input.mode === 'gtid' ? { gtidSet: start.gtidSet } : {}),
      from: start.from,
      ...(start.mismatch ? { mismatch: start.mismatch } : {}),
      alreadyConfigured,
      at: new Date().toISOString(),
    });
    const reader = new ReplicaStatusReader(writer);
    const existing = await reader.read();
    const port = input.source.port ?? 3306;
    if (existing) {
      if (existing.host !== input.source.host || existing.port !== port || existing.user !== input.source.user) {
        throw configuredElsewhere(writer, existing, flavour);
      }
      if (existing.autoPosition !== (input.mode === 'gtid')) throw configuredOtherMode(writer, existing, flavour);
      // A thread stopped by an error stays a failure (starting it would repeat the error); one stopped on
      // purpose (rds_stop_replication, no error) is started again.
      const stop = explainReplicationStop(existing.status);
      if (stop?.permanent && stop.errno !== 0) throw replicationStopped(stop, writer);
      if (existing.status.ioRunning === 'No' || existing.status.sqlRunning === 'No') await startThreads(writer);
      return result(true);
    }
    const password = await replicationPassword(secrets, input.source);
    const ssl = input.source.tls ? 1 : 0;
    if (input.mode === 'gtid') {
      await seedGtidSet(writer, flavour, start.gtidSet ?? '');
      await call(writer, procedure, [input.source.host, port, input.source.user, password, ssl], password);
    } else {
      const { file, position } = start as Required<Pick<StartCoordinates, 'file' | 'position'>>;
      await call(
        writer,
        procedure,
        [input.source.host, port, input.source.user, password, file, position, ssl],
        password,
      );
    }
    await startThreads(writer);
    return result(false);
  });
}

async function startThreads(writer: OpenConnection): Promise<void> {
  await call(writer, 'mysql.rds_start_replication', [], '');
}

/**
 * Calls a procedure with its arguments as parameters. The operation named in a failure is the procedure alone;
 * should a server message ever quote the password, it is masked before the failure leaves.
 */
async function call(writer: OpenConnection, procedure: string, args: unknown[], secret: string): Promise<void> {
  const placeholders = args.map(() => '?').join(', ');
  try {
    await query(writer, `CALL ${procedure}(${placeholders})`, args, `CALL ${procedure}`);
  } catch (err) {
    if (secret && err instanceof ApplicationFailure && err.message.includes(secret)) {
      throw ApplicationFailure.create({
        type: err.type ?? undefined,
        nonRetryable: err.nonRetryable ?? undefined,
        message: err.message.split(secret).join('***'),
        details: err.details as unknown[],
      });
    }
    throw err;
  }
}

function configuredElsewhere(
  writer: OpenConnection,
  existing: { host: string; port: number; user: string },
  flavour: WriterFlavour,
): ApplicationFailure {
  return ApplicationFailure.create({
    type: FailureTypes.MysqlRejected,
    nonRetryable: true,
    message:
      `The cluster writer at ${writer.address} already replicates from ${existing.user}@${existing.host}:` +
      `${existing.port}, not from replication.source. Fix: if that replication is not wanted, CALL ` +
      `mysql.rds_stop_replication and CALL ${flavour.resetExternal} on the writer, then retry`,
    details: [{ role: 'writer', field: 'replication.source' }],
  });
}

function configuredOtherMode(
  writer: OpenConnection,
  existing: { autoPosition: boolean },
  flavour: WriterFlavour,
): ApplicationFailure {
  const now = existing.autoPosition ? 'GTID auto-positioning' : 'a binlog file and position';
  return ApplicationFailure.create({
    type: FailureTypes.MysqlRejected,
    nonRetryable: true,
    message:
      `The cluster writer at ${writer.address} already replicates from this source by ${now}, not as ` +
      `replication.mode asks. Fix: set replication.mode to match, or CALL mysql.rds_stop_replication and CALL ` +
      `${flavour.resetExternal} on the writer, then retry`,
    details: [{ role: 'writer', field: 'replication.mode' }],
  });
}
