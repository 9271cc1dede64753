/**
 * `stopReplication` (`mysql.rds_stop_replication`: the configuration stays, replication can be started again)
 * and `detachReplication` (stop, then `mysql.rds_reset_external_source` on v3 / `_master` on v2: the cluster
 * no longer follows the source, the last step of a cutover). Both idempotent: a writer that is not a replica
 * (already detached, or never configured) is left as it is.
 */
import type { SecretsClientFor } from '../secrets';
import { connectWriter, query, withConnection, type WriterLogin } from './connect';
import { ReplicaStatusReader, writerFlavour } from './writer-replication';

/** Input of stopReplication and detachReplication. */
export interface WriterOnlyInput {
  writer: WriterLogin;
}

/** Stops both replication threads, keeping the configuration. */
export async function stopReplication(secrets: SecretsClientFor, input: WriterOnlyInput): Promise<void> {
  await withConnection(connectWriter(secrets, input.writer), async (writer) => {
    if (!(await new ReplicaStatusReader(writer).read())) return;
    await query(writer, 'CALL mysql.rds_stop_replication()', undefined, 'CALL mysql.rds_stop_replication');
  });
}

/** Stops replication and removes its configuration (SHOW REPLICA STATUS is empty afterwards). */
export async function detachReplication(secrets: SecretsClientFor, input: WriterOnlyInput): Promise<void> {
  await withConnection(connectWriter(secrets, input.writer), async (writer) => {
    if (!(await new ReplicaStatusReader(writer).read())) return;
    const flavour = await writerFlavour(writer);
    await query(writer, 'CALL mysql.rds_stop_replication()', undefined, 'CALL mysql.rds_stop_replication');
    await query(writer, `CALL ${flavour.resetExternal}()`, undefined, `CALL ${flavour.resetExternal}`);
  });
}
