import { RaiseAlarmDocument } from '@fledge/client';
import { Command } from 'commander';

import { type CliContext, type OutputOptions } from '../cli-context.js';
import { formatTime, table } from '../render/format.util.js';
import { jsonOption } from './options.js';

export function alarmCommand(ctx: CliContext): Command {
  const alarm = new Command('alarm').description('Raise and resolve alarms by hand.');

  alarm
    .command('raise')
    .description("Record an alarm for an endpoint; a firing one rolls back the endpoint's active rollout.")
    .argument('<endpoint>', 'endpoint name')
    .argument('<name>', 'alarm name, e.g. HighLatency')
    .option('--summary <text>', 'what is wrong')
    .option('--resolved', 'record that the alarm resolved (does not roll anything back)')
    .addOption(jsonOption())
    .action(async (endpoint: string, name: string, opts: OutputOptions & { summary?: string; resolved?: boolean }) => {
      const client = await ctx.client();
      const { raiseAlarm: alarms } = await client.request(RaiseAlarmDocument, {
        input: { endpoint, name, summary: opts.summary, firing: !opts.resolved },
      });
      ctx.print(opts, alarms, () =>
        table(
          ['id', 'name', 'state', 'rollout', 'received'],
          alarms.map((a) => [a.id, a.name, a.state, a.rolloutId ?? 'none active', formatTime(a.receivedAt)]),
        ),
      );
    });

  return alarm;
}
