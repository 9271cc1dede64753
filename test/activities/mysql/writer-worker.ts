/**
 * A real worker for the writer activities alone: `createWriterActivities` over the run's moto Secrets Manager
 * and the worker's own replication reporter (signals through a real client), the `writerActivity` test workflow,
 * on the run's dev server and a task queue of its own. Heartbeats leave the worker every 100 ms, so a
 * cancellation reaches an activity within a fraction of a second of its next heartbeat.
 */
import { Client, Connection, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createWriterActivities } from '../../../activities/mysql/writer-activities';
import { secretsClientsByRegion } from '../../../activities/secrets';
import { replicationReporter } from '../../../worker/create-worker';
import { testSecretsClient, testStack, uniqueName } from '../../helpers/stack';
import type {
  WriterActivities,
  WriterActivityCall,
  WriterActivityOutcome,
  writerActivity,
} from './workflows/writer-activity';

/** A running writer worker. */
export interface WriterWorker {
  /** Starts the workflow running one activity (an input's `workflowId` becomes the workflow's own). */
  start(call: WriterActivityCall): Promise<WorkflowHandle<typeof writerActivity>>;
  /** Runs one activity to its end and returns its result and the signals sent meanwhile. */
  run<K extends keyof WriterActivities>(
    name: K,
    input: Parameters<WriterActivities[K]>[0],
  ): Promise<{ result: Awaited<ReturnType<WriterActivities[K]>>; observed: WriterActivityOutcome['observed'] }>;
  /** Runs one activity that must fail; returns the ApplicationFailure (or other cause) it failed with. */
  fails(call: WriterActivityCall): Promise<Error>;
  stop(): Promise<void>;
}

/** Starts the worker (bundling the test workflow) and connects a client. */
export async function startWriterWorker(): Promise<WriterWorker> {
  const stack = testStack();
  const taskQueue = uniqueName('writer-tq');
  const client = new Client({
    connection: await Connection.connect({ address: stack.temporal.address }),
    namespace: stack.temporal.namespace,
  });
  const connection = await NativeConnection.connect({ address: stack.temporal.address });
  const worker = await Worker.create({
    connection,
    namespace: stack.temporal.namespace,
    taskQueue,
    workflowsPath: require.resolve('./workflows/writer-activity'),
    activities: createWriterActivities({
      secrets: secretsClientsByRegion(() => testSecretsClient()),
      reportReplication: replicationReporter(client),
    }),
    maxHeartbeatThrottleInterval: '100ms',
    shutdownGraceTime: '1s',
  });
  const running = worker.run();
  const start = (call: WriterActivityCall) => {
    const workflowId = uniqueName(`writer-${call.name}`);
    // As in a migration, an activity that reports does so to its own workflow.
    const input = 'workflowId' in call.input ? { ...call.input, workflowId } : call.input;
    return client.workflow.start<typeof writerActivity>('writerActivity', {
      taskQueue,
      workflowId,
      args: [{ ...call, input } as WriterActivityCall],
    });
  };
  return {
    start,
    async run(name, input) {
      const outcome = await (await start({ name, input } as WriterActivityCall)).result();
      return outcome as never;
    },
    async fails(call) {
      const handle = await start(call);
      const error = await handle.result().then(
        () => undefined,
        (err: unknown) => err,
      );
      if (!(error instanceof WorkflowFailedError)) throw new Error(`${call.name} did not fail`);
      // Workflow failure ← activity failure ← the activity's own error.
      let cause: Error | undefined = error;
      while (cause?.cause instanceof Error) cause = cause.cause;
      return cause ?? error;
    },
    async stop() {
      worker.shutdown();
      await running;
      await client.connection.close();
      await connection.close();
    },
  };
}
