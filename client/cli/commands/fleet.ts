/**
 * `fleet start|watch|list|cancel`: many migrations from one manifest, as thin layers over `client/fleet`.
 * A wave gate is approved with the ordinary `approve <fleet-id> --by <name>`.
 */
import type { Command } from 'commander';
import { cancelFleet, getFleetProgress, listFleets, startFleet, type FleetStatus } from '../../fleet/temporal';
import { parseManifest } from '../../fleet/manifest';
import { formatSpecIssues } from '../../spec/issue';
import { loadSpecFile, SpecFileError } from '../../spec/load';
import { fleetWorkflowId } from '../../../workflows/fleet/ids';
import type { CliContext } from '../context';
import { type ExitCode, exitCodeForStatus, UsageError } from '../exit-codes';

/** A fleet workflow ID as given, or the ID of a fleet name. */
function resolveFleetId(idOrName: string): string {
  return idOrName.includes(':') ? idOrName : fleetWorkflowId(idOrName);
}

/** One line of a fleet's state, e.g. `running wave 1/3 | 2 running, 3 completed, 1 failed, 4 pending`. */
export function renderFleetLine(s: FleetStatus): string {
  const { counts } = s;
  const steps = Object.entries(s.steps)
    .map(([step, n]) => `${n} ${step}`)
    .join(', ');
  return (
    `${s.step} wave ${s.wave.index + 1}/${s.wave.count} | ${counts.running} running` +
    (steps ? ` (${steps})` : '') +
    `, ${counts.completed} completed, ${counts.failed} failed, ${counts.cancelled} cancelled, ${counts.pending} pending` +
    (s.awaitingApprovalForWave !== undefined ? ` | wave ${s.awaitingApprovalForWave + 1} awaits approval` : '') +
    (s.eta ? ` | eta ${s.eta}` : '') +
    (s.lastError ? ` | ${s.lastError}` : '')
  );
}

/** Polls the fleet every `intervalMs` until it closes; one line (or JSON object) per change. */
export async function watchFleet(ctx: CliContext, workflowId: string, intervalMs: number, json: boolean) {
  const { client } = await ctx.client();
  let last = '';
  for (;;) {
    const status = await getFleetProgress(client, workflowId);
    const line = json ? JSON.stringify(status) : renderFleetLine(status);
    if (line !== last) ctx.io.out(`${line}\n`);
    last = line;
    if (status.status !== 'RUNNING') {
      if (!json)
        for (const f of status.failures) ctx.io.out(`  failed ${f.workflowId}: [${f.failureType}] ${f.reason}\n`);
      return exitCodeForStatus(status.status);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function interval(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0.2) throw new UsageError('--interval must be at least 0.2 seconds');
  return seconds * 1000;
}

/** Registers `fleet` and its subcommands. */
export function registerFleetCommands(program: Command, ctx: CliContext, setExit: (code: ExitCode) => void): void {
  const fleet = program
    .command('fleet')
    .description('Migrate many databases from one manifest: at most N at once, in waves, with a failure budget')
    .addHelpText(
      'after',
      `
Examples:
  $ aurora-migrate fleet start fleet.yaml --wait
  $ aurora-migrate fleet watch nightly-orders
  $ aurora-migrate approve aurora-migrate-fleet:nightly-orders --by alice   # the next wave, when approvalBetweenWaves
  $ aurora-migrate fleet cancel nightly-orders`,
    );

  fleet
    .command('start')
    .description('Validate the manifest (nothing starts on any issue) and start the fleet')
    .argument('<manifest>', 'YAML or JSON: name, options, and databases (specs, or a template and { id, overrides })')
    .option('--wait', 'watch until the fleet ends (exit 0 completed, 1 failed, 3 cancelled)')
    .option('--json', 'print {id, runId, createdAt, total, attached} as JSON')
    .addHelpText('after', '\nExamples:\n  $ aurora-migrate fleet start fleet.yaml --json')
    .action(async (file: string, opts: { wait?: boolean; json?: boolean }) => {
      let raw: unknown;
      try {
        raw = await loadSpecFile(file);
      } catch (err) {
        if (err instanceof SpecFileError) throw new UsageError(err.message);
        throw err;
      }
      const config = ctx.config();
      const parsed = parseManifest(raw, {
        defaultRegion: config.aws.region,
        payloadsEncrypted: config.codecKeys.length > 0,
      });
      if (!parsed.ok) {
        throw new UsageError(
          `${file} is not a valid fleet manifest (nothing was started):`,
          formatSpecIssues(parsed.issues).split('\n'),
        );
      }
      const { client } = await ctx.client();
      const started = await startFleet(client, config, raw);
      if (opts.json) ctx.json({ id: started.workflowId, ...started });
      else
        ctx.lines([
          `${started.attached ? 'Already running' : 'Started'} fleet ${started.workflowId} (${started.total} databases)`,
          `  watch: aurora-migrate fleet watch ${started.workflowId}`,
        ]);
      if (opts.wait) setExit(await watchFleet(ctx, started.workflowId, 1000, opts.json === true));
    });

  fleet
    .command('watch')
    .description('Show the fleet until it ends: counts per step, failures with reasons, ETA when known')
    .argument('<id>', 'fleet ID (aurora-migrate-fleet:<name>) or name')
    .option('--interval <seconds>', 'seconds between refreshes', '2')
    .option('--json', 'print the full status as one JSON object per change')
    .addHelpText('after', '\nExamples:\n  $ aurora-migrate fleet watch nightly-orders --interval 10')
    .action(async (id: string, opts: { interval: string; json?: boolean }) => {
      setExit(await watchFleet(ctx, resolveFleetId(id), interval(opts.interval), opts.json === true));
    });

  fleet
    .command('list')
    .description('List fleets, newest first')
    .option('--limit <n>', 'most fleets listed (1-1000)', '50')
    .option('--json', 'print the list as JSON')
    .addHelpText('after', '\nExamples:\n  $ aurora-migrate fleet list --json')
    .action(async (opts: { limit: string; json?: boolean }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new UsageError('--limit must be a whole number from 1 to 1000');
      const { client } = await ctx.client();
      const fleets = await listFleets(client, limit);
      if (opts.json) ctx.json(fleets);
      else if (fleets.length === 0) ctx.lines(['No fleets.']);
      else ctx.lines(fleets.map((f) => `${f.workflowId}  ${f.status}  started ${f.startedAt}`));
    });

  fleet
    .command('cancel')
    .description('Cancel a fleet: its running migrations are cancelled (each applies its onFailure policy)')
    .argument('<id>', 'fleet ID (aurora-migrate-fleet:<name>) or name')
    .option('--json', 'print {id, cancelRequested} as JSON')
    .addHelpText('after', '\nExamples:\n  $ aurora-migrate fleet cancel nightly-orders')
    .action(async (id: string, opts: { json?: boolean }) => {
      const { client } = await ctx.client();
      const workflowId = resolveFleetId(id);
      await cancelFleet(client, workflowId);
      if (opts.json) ctx.json({ id: workflowId, cancelRequested: true });
      else ctx.lines([`Cancellation requested for fleet ${workflowId}.`]);
    });
}
