import { ConfigError, loadConfig } from '../../config/app-config';

describe('loadConfig', () => {
  test('leaves worker capacity to the SDK defaults when no setting is given, and the task queue at 8 activities a second', () => {
    expect(loadConfig({}).worker).toEqual({
      maxWorkflowTasks: undefined,
      maxActivities: undefined,
      workflowThreads: undefined,
      taskQueueActivitiesPerSecond: 8,
    });
  });

  test('reads the task queue activity rate, 0 meaning no limit', () => {
    const rate = (value: string) =>
      loadConfig({ AURORA_MIGRATE_TASK_QUEUE_ACTIVITIES_PER_SECOND: value }).worker.taskQueueActivitiesPerSecond;
    expect(rate('3')).toBe(3);
    expect(rate('0')).toBeUndefined();
  });

  test("reads the restore ETA's default model, 100 MiB/s plus 600 s unless set", () => {
    expect(loadConfig({}).restoreEstimate).toEqual({ mibPerSecond: 100, fixedSeconds: 600 });
    expect(
      loadConfig({ AURORA_MIGRATE_RESTORE_MIB_PER_SECOND: '40', AURORA_MIGRATE_RESTORE_FIXED_SECONDS: '0' })
        .restoreEstimate,
    ).toEqual({ mibPerSecond: 40, fixedSeconds: 0 });
  });

  test('reads the worker capacity settings', () => {
    const config = loadConfig({
      AURORA_MIGRATE_WORKER_WORKFLOW_TASKS: '200',
      AURORA_MIGRATE_WORKER_ACTIVITIES: ' 50 ',
      AURORA_MIGRATE_WORKER_WORKFLOW_THREADS: '2',
    });

    expect(config.worker).toEqual({
      maxWorkflowTasks: 200,
      maxActivities: 50,
      workflowThreads: 2,
      taskQueueActivitiesPerSecond: 8,
    });
  });

  test.each([
    ['AURORA_MIGRATE_WORKER_WORKFLOW_TASKS', '1'],
    ['AURORA_MIGRATE_WORKER_ACTIVITIES', 'many'],
    ['AURORA_MIGRATE_WORKER_WORKFLOW_THREADS', '2.5'],
    ['AURORA_MIGRATE_AWS_MAX_ATTEMPTS', '0'],
    ['AURORA_MIGRATE_HTTP_PORT', '70000'],
    ['AURORA_MIGRATE_RDS_ENDPOINT', 'ftp://example.com'],
    ['AURORA_MIGRATE_S3_FORCE_PATH_STYLE', 'maybe'],
    ['AURORA_MIGRATE_TASK_QUEUE_ACTIVITIES_PER_SECOND', '-1'],
    ['AURORA_MIGRATE_RESTORE_MIB_PER_SECOND', '0'],
    ['AURORA_MIGRATE_RESTORE_FIXED_SECONDS', 'ten'],
  ])('refuses %s=%s with an error naming the variable and what is allowed', (variable, value) => {
    let error: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (err) {
      error = err;
    }

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as Error).message).toMatch(new RegExp(`^${variable}: expected `));
  });

  test('refuses one half of a static AWS key pair, naming the missing half', () => {
    expect(() => loadConfig({ AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE' })).toThrow(/^AWS_SECRET_ACCESS_KEY: set both/);
  });
});
