import { readFileSync } from 'node:fs';

import { FledgeError } from '@fledge/errors';
import { Command, CommanderError } from 'commander';

import { CliContext, type CliEnvironment } from './cli-context.js';
import { apiKeyCommand } from './commands/api-key.command.js';
import { datasetCommand } from './commands/dataset.command.js';
import { alarmCommand } from './commands/alarm.command.js';
import { deployCommand, promoteCommand } from './commands/deploy.command.js';
import { endpointCommand } from './commands/endpoint.command.js';
import { evaluateCommand } from './commands/evaluate.command.js';
import { evaluationCommand } from './commands/evaluation.command.js';
import { modelCommand } from './commands/model.command.js';
import { rolloutCommand } from './commands/rollout.command.js';
import { loginCommand, logoutCommand, whoamiCommand } from './commands/session.command.js';
import { inCliTerms } from './client/user-terms.js';
import { EXIT_CODES_HELP, ExitCode, exitCodeOf } from './exit-codes.js';
import { ExitStatus } from './exit-status.js';
import { UsageError } from './usage-error.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const ENVIRONMENT_HELP = `Environment:
  FLEDGE_API_URL     API base URL (overrides the one saved by login)
  FLEDGE_API_KEY     API key (overrides the one saved by login)
  FLEDGE_CONFIG_DIR  where login saves config.json (default ~/.config/fledge)`;

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('fledge')
    .description('Fledge: register, inspect and promote models and datasets.')
    .version(version)
    // Settings before the subcommands: commander copies them into every command it creates.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.streams.stdout.write(text),
      writeErr: (text) => ctx.streams.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', `\n${ENVIRONMENT_HELP}\n\n${EXIT_CODES_HELP}`);
  for (const command of [
    loginCommand(ctx),
    logoutCommand(ctx),
    whoamiCommand(ctx),
    modelCommand(ctx),
    datasetCommand(ctx),
    evaluateCommand(ctx),
    evaluationCommand(ctx),
    endpointCommand(ctx),
    deployCommand(ctx),
    promoteCommand(ctx),
    rolloutCommand(ctx),
    alarmCommand(ctx),
    apiKeyCommand(ctx),
  ]) {
    program.addCommand(command);
  }
  inheritSettings(program);
  return program;
}

/** Commands built with `new Command()` do not inherit the program's settings; copy them down. */
function inheritSettings(parent: Command): void {
  for (const child of parent.commands) {
    child.copyInheritedSettings(parent);
    inheritSettings(child);
  }
}

const successCodes = new Set(['commander.helpDisplayed', 'commander.version']);

/** Runs one CLI invocation; answers the process exit code (see EXIT_CODES_HELP). */
export async function runCli(args: readonly string[], environment: CliEnvironment): Promise<number> {
  const ctx = new CliContext(environment);
  const fail = (message: string, code: number) => {
    ctx.streams.stderr.write(`error: ${message}\n`);
    return code;
  };
  let command = 'fledge';
  try {
    const program = buildProgram(ctx).hook('preAction', (_program, action) => {
      const names: string[] = [];
      for (let c: Command | null = action; c; c = c.parent) names.unshift(c.name());
      command = names.join(' ');
    });
    await program.parseAsync([...args], { from: 'user' });
    return ExitCode.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has printed its message (or the help) already.
      return successCodes.has(error.code) || error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    if (error instanceof UsageError) return fail(error.message, ExitCode.USAGE);
    if (error instanceof ExitStatus) {
      ctx.streams.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    if (FledgeError.is(error)) {
      const told = inCliTerms(error, command);
      return fail(`${told.message} (${told.code})`, exitCodeOf(told.code));
    }
    return fail(`${error instanceof Error ? error.message : String(error)} (INTERNAL)`, ExitCode.INTERNAL);
  }
}
