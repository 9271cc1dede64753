/**
 * The `aurora-migrate` command line: one commander program whose commands are thin layers over the library.
 * `runCli` maps every outcome to an exit code (0 ok, 1 failed, 2 usage, 3 cancelled) and prints errors once.
 */
import { Command, CommanderError } from 'commander';
import { InvalidSpecError, MigrationConflictError, MigrationNotFoundError, MigrationStateError } from '../errors';
import { ListFilterError } from '../list';
import { CliContext, type CliIo } from './context';
import { registerControlCommands } from './commands/control';
import { registerFleetCommands } from './commands/fleet';
import { registerProcessCommands } from './commands/processes';
import { registerReadCommands } from './commands/read';
import { registerStart } from './commands/start';
import { registerValidate } from './commands/validate';
import { registerWatch } from './commands/watch';
import { type ExitCode, ExitCodes, ExitRequest, UsageError } from './exit-codes';

/** Builds the program; `setExit` receives the exit code commands choose (watch, validate, start --wait). */
export function createProgram(ctx: CliContext, setExit: (code: ExitCode) => void): Command {
  const program = new Command('aurora-migrate')
    .description('Restore MySQL XtraBackup backups from S3 into Amazon Aurora MySQL, durably, on Temporal.')
    .version('0.1.0')
    .showHelpAfterError('(add --help for usage and examples)')
    .configureOutput({ writeOut: ctx.io.out, writeErr: ctx.io.err })
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  $ aurora-migrate validate orders.yaml            # dry run: spec and backup
  $ aurora-migrate start orders.yaml --wait        # start and watch
  $ aurora-migrate list --state running
  $ aurora-migrate approve aurora-migrate:us-east-1:orders-aurora --by alice
  $ aurora-migrate cutover aurora-migrate:us-east-1:orders-aurora --by alice --reason "window"

Temporal: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE.
AWS: the standard credential chain and AWS_REGION. Exit codes: 0 ok, 1 failed, 2 usage, 3 cancelled.`,
    );
  registerStart(program, ctx, setExit);
  registerValidate(program, ctx, setExit);
  registerReadCommands(program, ctx);
  registerWatch(program, ctx, setExit);
  registerControlCommands(program, ctx);
  registerProcessCommands(program, ctx);
  registerFleetCommands(program, ctx, setExit);
  for (const command of program.commands) {
    command.exitOverride().configureOutput({ writeOut: ctx.io.out, writeErr: ctx.io.err });
  }
  return program;
}

/** Runs one command line (`argv` as in process.argv) and returns the exit code. */
export async function runCli(argv: string[], io: CliIo, env: Record<string, string | undefined>): Promise<ExitCode> {
  const ctx = new CliContext(io, env);
  let code: ExitCode = ExitCodes.ok;
  const program = createProgram(ctx, (chosen) => (code = chosen));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    return reportError(io, err);
  } finally {
    await ctx.close();
  }
}

function reportError(io: CliIo, err: unknown): ExitCode {
  if (err instanceof ExitRequest) return err.code;
  if (err instanceof CommanderError) {
    // Commander already printed the problem (or the help/version text).
    return err.exitCode === 0 ? ExitCodes.ok : ExitCodes.usage;
  }
  if (err instanceof UsageError) {
    io.err(`error: ${err.message}\n${err.details.map((d) => `  ${d}\n`).join('')}`);
    return ExitCodes.usage;
  }
  if (err instanceof InvalidSpecError) {
    io.err(`error: the migration spec is invalid:\n${err.issues.map((i) => `  ${i.path}: ${i.message}\n`).join('')}`);
    return ExitCodes.usage;
  }
  if (err instanceof ListFilterError) {
    io.err(`error: ${err.message}\n`);
    return ExitCodes.usage;
  }
  if (
    err instanceof MigrationNotFoundError ||
    err instanceof MigrationConflictError ||
    err instanceof MigrationStateError
  ) {
    io.err(`error: ${err.message}\n`);
    return ExitCodes.failed;
  }
  io.err(`error: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}\n`);
  return ExitCodes.failed;
}
