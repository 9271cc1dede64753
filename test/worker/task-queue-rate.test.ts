import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../../config/app-config';
import { createRdsClient, createS3Client } from '../../config/aws-clients';
import { createWorker } from '../../worker/create-worker';
import { testStack, uniqueName } from '../helpers/stack';

describe("the worker's task queue activity rate", () => {
  test.each([
    ['3', 3],
    [undefined, 8],
    ['0', undefined],
  ])(
    'AURORA_MIGRATE_TASK_QUEUE_ACTIVITIES_PER_SECOND=%s reaches the worker as maxTaskQueueActivitiesPerSecond %s',
    async (value, expected) => {
      const stack = testStack();
      const config = loadConfig({
        AURORA_MIGRATE_TASK_QUEUE: uniqueName('rate'),
        AURORA_MIGRATE_RDS_ENDPOINT: stack.emulator.endpoint,
        AURORA_MIGRATE_S3_ENDPOINT: stack.s3.endpoint,
        AWS_REGION: 'us-east-1',
        ...(value === undefined ? {} : { AURORA_MIGRATE_TASK_QUEUE_ACTIVITIES_PER_SECOND: value }),
      });
      const connection = await NativeConnection.connect({ address: stack.temporal.address });
      try {
        const worker = await createWorker({
          connection,
          namespace: stack.temporal.namespace,
          config,
          rds: createRdsClient(config),
          s3: createS3Client(config),
          workflowBundlePath: stack.workflowBundle,
        });
        const running = worker.run();
        worker.shutdown();
        await running;
        expect(worker.options.maxTaskQueueActivitiesPerSecond).toBe(expected);
      } finally {
        await connection.close();
      }
    },
  );
});
