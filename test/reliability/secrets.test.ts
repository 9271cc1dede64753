/**
 * Secrets: migrations started with a MasterUserPassword (through HTTP and through the CLI) run to completion on
 * a worker process; the password, plain or base64, must appear nowhere we can look: history exports (the CLI's
 * JSON and the raw history), worker, HTTP service and server logs, CLI output, HTTP answers, query results.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Messages } from '../../workflows/ids';
import type { MigrationInput } from '../../workflows/types';
import { CLI, cliEnv } from '../client/cli-helpers';
import { emulatorCallLog, emulatorInventory, sampleSpec, uploadDirectoryBackup } from '../helpers/migration';
import { STACK_FILE, testStack, uniqueName } from '../helpers/stack';
import { startHttpService, type HttpService } from './helpers/http-service';
import { reportFigures, withDeadline } from './helpers/report';
import { spawnWorker, type ReliabilityWorker } from './helpers/workers';

const TOKEN = 'reliability-token-0123456789abcdef';
/** Distinctive, and valid for RDS (8–41 printable ASCII, none of / " @). */
const PASSWORD = `RelPw-${randomBytes(12).toString('hex')}`;

/** The password and every base64 rendering of it, whatever its byte offset inside a larger encoded value. */
function needles(secret: string): string[] {
  const found = [secret];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), Buffer.from(secret)]).toString('base64');
    // Drop the characters that depend on the bytes around the secret.
    const core = encoded.slice(offset ? 4 : 0, encoded.length - 4);
    found.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return found;
}

/** JSON of a value, with byte arrays rendered both raw (latin1) and base64 so that either form is searched. */
function dump(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Uint8Array ? `${Buffer.from(v).toString('latin1')} ${Buffer.from(v).toString('base64')}` : v,
  );
}

function run(command: string, args: string[], env?: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (_error, stdout, stderr) =>
      resolve(`${stdout}\n${stderr}`),
    );
  });
}

describe('a master password given in the spec', () => {
  let service: HttpService;
  let worker: ReliabilityWorker | undefined;
  const taskQueue = uniqueName('tq-secrets');
  const dir = join(testStack().scratchDir, uniqueName('secrets'));

  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    service = await startHttpService({ taskQueue, token: TOKEN, logLevel: 'trace' });
    worker = spawnWorker({ taskQueue, rdsEndpoint: testStack().emulator.endpoint });
    await worker.started;
  });

  afterAll(async () => {
    await worker?.kill('SIGTERM');
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('appears nowhere in history exports, logs, CLI output, HTTP answers or progress', async () => {
    const began = Date.now();
    const backup = await uploadDirectoryBackup({ version: '5.7' });
    const withPassword = (): MigrationInput => {
      const spec = sampleSpec({ ...backup, readers: 1 });
      delete spec.restore.ManageMasterUserPassword;
      spec.restore.MasterUserPassword = PASSWORD;
      return spec;
    };
    const haystacks: Record<string, string> = {};
    const api = async (method: string, path: string, body?: unknown): Promise<string> => {
      const res = await fetch(`${service.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return `${res.status} ${JSON.stringify([...res.headers])} ${await res.text()}`;
    };

    // One migration through HTTP (the dry run first), one through the CLI.
    const httpSpec = withPassword();
    haystacks['HTTP POST /validate answer'] = await api('POST', '/validate', httpSpec);
    haystacks['HTTP POST /migrations answer'] = await api('POST', '/migrations', httpSpec);
    const invalid = { ...httpSpec, restore: { ...httpSpec.restore, Port: 1 } };
    haystacks['HTTP answer to an invalid spec with the password'] = await api('POST', '/migrations', invalid);
    const cliSpec = withPassword();
    const file = join(dir, 'spec.json');
    writeFileSync(file, JSON.stringify(cliSpec));
    const env = { ...cliEnv(taskQueue), AURORA_MIGRATE_TASK_QUEUE: taskQueue };
    haystacks['CLI validate output'] = await run(process.execPath, [CLI, 'validate', file], env);
    haystacks['CLI start output'] = await run(process.execPath, [CLI, 'start', file, '--json'], env);
    writeFileSync(file, JSON.stringify({ ...cliSpec, restore: { ...cliSpec.restore, Port: 1 } }));
    haystacks['CLI output for an invalid spec'] = await run(process.execPath, [CLI, 'start', file], env);
    rmSync(file);

    const ids = [httpSpec, cliSpec].map((s) => `aurora-migrate:us-east-1:${s.restore.DBClusterIdentifier}`);
    for (const id of ids) {
      const handle = service.client.workflow.getHandle(id);
      haystacks[`result of ${id}`] = dump(await withDeadline(handle.result(), 90_000, id));
      haystacks[`progress query of ${id}`] = dump(await handle.query(Messages.progressQuery));
      haystacks[`describe of ${id}`] = dump(await handle.describe());
      haystacks[`raw history of ${id}`] = dump(await handle.fetchHistory());
      haystacks[`temporal workflow show of ${id}`] = await run(testStack().temporal.executable, [
        'workflow',
        'show',
        '--workflow-id',
        id,
        '--output',
        'json',
        '--address',
        testStack().temporal.address,
        '--namespace',
        testStack().temporal.namespace,
      ]);
      haystacks[`HTTP GET progress of ${id}`] = await api('GET', `/migrations/${encodeURIComponent(id)}`);
      haystacks[`CLI status of ${id}`] = await run(process.execPath, [CLI, 'status', id, '--json'], env);
    }
    haystacks['HTTP GET /migrations'] = await api('GET', '/migrations');
    haystacks['CLI list'] = await run(process.execPath, [CLI, 'list', '--json'], env);
    haystacks['emulator inventory'] = dump(await emulatorInventory());
    haystacks['emulator restore call log'] = dump(await emulatorCallLog('RestoreDBClusterFromS3'));
    haystacks['worker output'] = worker!.output();
    haystacks['HTTP service logs'] = service.logs.join('\n');
    for (const name of ['temporal.log', 'emulator.log', 's3.log']) {
      const path = join(dirname(STACK_FILE), 'servers', name);
      if (existsSync(path)) haystacks[`server log ${name}`] = readFileSync(path, 'latin1');
    }

    // The history export must be real, or searching it proves nothing.
    expect(haystacks[`temporal workflow show of ${ids[0]}`]).toContain('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
    expect(haystacks['worker output']).toContain('worker-started');
    expect(service.logs.length).toBeGreaterThan(0);
    const forms = needles(PASSWORD);
    const hits = Object.entries(haystacks).flatMap(([place, text]) =>
      forms.filter((form) => text.includes(form)).map((form) => `${place}: ${form}`),
    );
    reportFigures('secrets', {
      migrations: ids.length,
      placesSearched: Object.keys(haystacks).length,
      formsSearched: forms.length,
      bytesSearched: Object.values(haystacks).reduce((n, t) => n + t.length, 0),
      hits: hits.length,
      durationMs: Date.now() - began,
    });

    expect(hits).toEqual([]);
  }, 180_000);
});
