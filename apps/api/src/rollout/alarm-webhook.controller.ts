import { Body, Controller, HttpCode, Inject, Logger, Post } from '@nestjs/common';
import { parseAlertmanagerPayload, parseSnsCloudWatchPayload } from '@fledge/domain';
import { FledgeError } from '@fledge/errors';

import { SNS_VERIFIER } from '../api.tokens.js';
import { JSON_MAX_DEPTH, jsonProblem } from '../graphql/input-limits.js';
import { AlertsAllowed, Caller, type CallContext } from '../auth/auth.decorators.js';
import { RolloutService } from './rollout.service.js';
import { type SnsMessageVerifier } from './sns-message.verifier.js';

/**
 * Alert sources that roll back rollouts: Prometheus Alertmanager's webhook (v4) and CloudWatch
 * alarms delivered by Amazon SNS over HTTP. Both authenticate with an API key of the `alerts`
 * role (admin keys work too), as a Bearer token or as the password of Basic auth (SNS can only
 * send credentials in the URL). SNS messages must also carry a valid AWS signature: anything else
 * is refused (403) before a row is written or a rollout is signalled.
 */
/** The request body limit of the JSON and text parsers (create-api-app.ts). */
const WEBHOOK_MAX_BYTES = 1024 * 1024;

@AlertsAllowed()
@Controller('webhooks')
export class AlarmWebhookController {
  private readonly logger = new Logger(AlarmWebhookController.name);

  constructor(
    private readonly rollouts: RolloutService,
    @Inject(SNS_VERIFIER) private readonly verifier: SnsMessageVerifier,
  ) {}

  @Post('alertmanager')
  @HttpCode(200)
  async alertmanager(@Caller() call: CallContext, @Body() body: unknown) {
    const result = await this.rollouts.receiveAlarms(call, parseAlertmanagerPayload(checkedPayload(body)));
    return summary(result);
  }

  @Post('sns')
  @HttpCode(200)
  async sns(@Caller() call: CallContext, @Body() body: unknown) {
    const raw = checkedPayload(typeof body === 'string' ? parseJson(body) : body);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new FledgeError('INVALID_ARGUMENT', 'the SNS message must be a JSON object', {
        reason: 'ALARM_PAYLOAD_INVALID',
      });
    }
    // Authorization before any outbound request: only an alerts (or admin) key gets its message verified.
    this.rollouts.assertMayReceiveAlarms(call);
    await this.verifier.verify(raw as Record<string, unknown>);
    const message = parseSnsCloudWatchPayload(raw);
    if (message.kind === 'subscription-confirmation') {
      await this.verifier.confirmSubscription(message.subscribeUrl);
      this.logger.log({ topicArn: message.topicArn }, 'confirmed an SNS subscription');
      return { accepted: 0, subscription: 'confirmed', topicArn: message.topicArn };
    }
    if (message.kind === 'unsubscribe-confirmation') return { accepted: 0 };
    return summary(await this.rollouts.receiveAlarms(call, message.notices));
  }
}

function summary(result: Awaited<ReturnType<RolloutService['receiveAlarms']>>) {
  return {
    accepted: result.alarms.length,
    alarms: result.alarms.map((a) => ({ id: a.id, name: a.name, state: a.state, rolloutId: a.rolloutId })),
    unmatched: result.unmatched,
  };
}

/** Alert payloads are stored as evidence: bounded like every JSON input, and without NUL characters. */
function checkedPayload(body: unknown): unknown {
  const problem = jsonProblem(body, { maxDepth: JSON_MAX_DEPTH, maxBytes: WEBHOOK_MAX_BYTES });
  if (problem) throw new FledgeError('INVALID_ARGUMENT', problem.message, { reason: problem.reason });
  return body;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new FledgeError('INVALID_ARGUMENT', 'the SNS message is not JSON', { reason: 'ALARM_PAYLOAD_INVALID' });
  }
}
