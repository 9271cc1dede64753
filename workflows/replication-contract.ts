/**
 * INTERIM: the catch-up and cutover activities as REPL-CONTRACT.md names them, until the source and writer
 * factories are merged; then the proxies use `createActivities`' own types and this file goes.
 */
import type { WriterLogin } from '../activities/mysql/connect';
import type {
  ReplicationLag,
  ReplicationMode,
  ReplicationSource,
  ReplicationStart,
  SourceFreeze,
  SourcePosition,
  TableVerification,
  VerifyMode,
} from './replication-types';
import type { BinlogCoordinates } from './types';

/** The activities of REPL-CONTRACT.md. */
export interface ReplicationContract {
  freezeSource(input: {
    workflowId: string;
    source: ReplicationSource;
    freezeTimeoutMs: number;
  }): Promise<SourceFreeze>;
  disarmFreezeGuard(input: { workflowId: string; source: ReplicationSource }): Promise<void>;
  unfreezeSource(input: {
    workflowId: string;
    source: ReplicationSource;
  }): Promise<{ at: string; wasReadOnly: boolean }>;
  readSourceState(input: {
    source: ReplicationSource;
  }): Promise<{ position: SourcePosition; readOnly: boolean; superReadOnly: boolean }>;
  startReplication(input: {
    workflowId: string;
    writer: WriterLogin;
    source: ReplicationSource;
    mode: ReplicationMode;
    backupBinlog?: BinlogCoordinates;
    recoveredBinlog?: BinlogCoordinates;
  }): Promise<ReplicationStart>;
  watchReplication(input: {
    workflowId: string;
    writer: WriterLogin;
    source: ReplicationSource;
    mode: ReplicationMode;
    until: 'caught-up' | 'cancelled';
    maxLagSeconds: number;
    statusIntervalMs: number;
  }): Promise<ReplicationLag>;
  awaitExecuted(input: {
    workflowId: string;
    writer: WriterLogin;
    mode: ReplicationMode;
    target: SourcePosition;
  }): Promise<ReplicationLag>;
  verifyTables(input: {
    writer: WriterLogin;
    source: ReplicationSource;
    method: VerifyMode;
  }): Promise<TableVerification[]>;
  stopReplication(input: { writer: WriterLogin }): Promise<void>;
  detachReplication(input: { writer: WriterLogin }): Promise<void>;
}
