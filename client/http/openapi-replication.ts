/**
 * The OpenAPI schemas of catch-up and cutover: the `cutover` route's body and answer, and the `replication` and
 * `cutover` parts of a migration's progress and result. Kept beside the main document's so both stay short.
 */
import { CutoverModes, ReplicationModes, VerifyModes } from '../../workflows/replication-types';

const str = { type: 'string' };
const int = { type: 'integer' };
const dateTime = { type: 'string', format: 'date-time' };
const obj = (properties: Record<string, unknown>, required: string[] = [], description?: string) => ({
  type: 'object',
  ...(description ? { description } : {}),
  properties,
  ...(required.length ? { required } : {}),
});
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** `components.schemas` entries of catch-up and cutover. */
export function replicationSchemas(): Record<string, unknown> {
  const ends = obj(
    {
      source: { type: 'string', enum: ['writable', 'read-only', 'unknown'] },
      target: { type: 'string', enum: ['replicating', 'detached', 'stopped', 'unknown'] },
    },
    ['source', 'target'],
    'What both ends were left as',
  );
  return {
    CutoverRequest: obj({ by: { type: 'string', minLength: 1, maxLength: 200 }, reason: str }, ['by']),
    CutoverDecision: obj({ by: str, reason: str, at: dateTime, trigger: { type: 'string', enum: [...CutoverModes] } }, [
      'by',
      'at',
      'trigger',
    ]),
    SourcePosition: obj(
      { file: str, position: int, gtidExecuted: { type: 'string', description: 'Empty without GTIDs' } },
      ['file', 'position', 'gtidExecuted'],
    ),
    ReplicationLag: obj(
      {
        at: dateTime,
        ioRunning: str,
        sqlRunning: str,
        secondsBehind: {
          type: ['integer', 'null'],
          description: 'Seconds_Behind_Source; null while a thread is stopped',
        },
        bytesBehind: int,
        transactionsBehind: int,
        executed: obj({ file: str, position: int }, ['file', 'position']),
        source: ref('SourcePosition'),
        caughtUpEta: { ...dateTime, description: 'Predicted moment of lag 0, from the trend' },
        consecutiveUnderMax: int,
      },
      ['at', 'ioRunning', 'sqlRunning', 'secondsBehind', 'consecutiveUnderMax'],
    ),
    ReplicationProgress: obj(
      {
        start: obj(
          {
            mode: { type: 'string', enum: [...ReplicationModes] },
            procedure: str,
            file: str,
            position: int,
            gtidSet: str,
            from: { type: 'string', enum: ['backup', 'rds-event'] },
            mismatch: str,
            alreadyConfigured: { type: 'boolean' },
            at: dateTime,
          },
          ['mode', 'procedure', 'from', 'alreadyConfigured', 'at'],
        ),
        lag: ref('ReplicationLag'),
        cutover: ref('CutoverDecision'),
        freeze: obj(
          {
            frozenAt: dateTime,
            position: ref('SourcePosition'),
            guard: { type: 'string', enum: ['event', 'workflow'] },
          },
          ['frozenAt', 'position', 'guard'],
        ),
        ends,
        stopped: obj({ kind: str, errno: int, error: str, fix: str }, ['kind', 'errno', 'error', 'fix']),
      },
      ['ends'],
      'With a replication section, from the replicating step on',
    ),
    CutoverReport: obj(
      {
        decision: ref('CutoverDecision'),
        readOnlyMs: { type: 'integer', description: 'The read-only window on the source (the downtime), in ms' },
        frozenAt: dateTime,
        finalPosition: ref('SourcePosition'),
        verification: {
          type: 'array',
          items: obj(
            {
              table: str,
              method: { type: 'string', enum: [...VerifyModes] },
              source: str,
              target: str,
              equal: { type: 'boolean' },
            },
            ['table', 'method', 'source', 'target', 'equal'],
          ),
        },
        endpoint: { type: 'string', description: 'host:port of the writer endpoint to point the application at' },
        ends,
        completedAt: dateTime,
      },
      ['decision', 'readOnlyMs', 'frozenAt', 'finalPosition', 'verification', 'endpoint', 'ends', 'completedAt'],
    ),
  };
}
