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
    ['AURORA_MIGRATE_METRICS_PORT', '0'],
    ['AURORA_MIGRATE_METRICS_PORT', '9464x'],
    ['AURORA_MIGRATE_METRICS_HOST', 'http://0.0.0.0'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318'],
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'grpc://collector:4317'],
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

  test('leaves metrics and tracing off unless configured', () => {
    expect(loadConfig({}).telemetry).toEqual({
      metricsAddress: undefined,
      tracesEndpoint: undefined,
      serviceName: 'aurora-migrate',
    });
  });

  test('serves metrics on 127.0.0.1 at the given port unless a host is given, and finds the OTLP traces URL', () => {
    expect(loadConfig({ AURORA_MIGRATE_METRICS_PORT: '9464' }).telemetry.metricsAddress).toBe('127.0.0.1:9464');
    const config = loadConfig({
      AURORA_MIGRATE_METRICS_PORT: '9464',
      AURORA_MIGRATE_METRICS_HOST: '0.0.0.0',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_SERVICE_NAME: 'migrations-prod',
    });
    expect(config.telemetry).toEqual({
      metricsAddress: '0.0.0.0:9464',
      tracesEndpoint: 'http://collector:4318/v1/traces',
      serviceName: 'migrations-prod',
    });
    const traces = 'https://otlp.example.com/custom/traces';
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: traces })
        .telemetry.tracesEndpoint,
    ).toBe(traces);
  });

  test('refuses one half of a static AWS key pair, naming the missing half', () => {
    expect(() => loadConfig({ AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE' })).toThrow(/^AWS_SECRET_ACCESS_KEY: set both/);
  });
});
