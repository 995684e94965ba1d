import { Body, Controller, HttpCode, Logger, Post } from '@nestjs/common';
import { parseAlertmanagerPayload, parseSnsCloudWatchPayload } from '@fledge/domain';
import { FledgeError } from '@fledge/errors';

import { Caller, type CallContext } from '../auth/auth.decorators.js';
import { RolloutService } from './rollout.service.js';

/**
 * Alert sources that roll back rollouts: Prometheus Alertmanager's webhook (v4) and CloudWatch
 * alarms delivered by Amazon SNS over HTTP. Both authenticate with an engineer API key, as a
 * Bearer token or as the password of Basic auth (SNS can only send credentials in the URL).
 */
@Controller('webhooks')
export class AlarmWebhookController {
  private readonly logger = new Logger(AlarmWebhookController.name);

  constructor(private readonly rollouts: RolloutService) {}

  @Post('alertmanager')
  @HttpCode(200)
  async alertmanager(@Caller() call: CallContext, @Body() body: unknown) {
    const result = await this.rollouts.receiveAlarms(call, parseAlertmanagerPayload(body));
    return summary(result);
  }

  @Post('sns')
  @HttpCode(200)
  async sns(@Caller() call: CallContext, @Body() body: unknown) {
    const message = parseSnsCloudWatchPayload(typeof body === 'string' ? parseJson(body) : body);
    if (message.kind === 'subscription-confirmation') {
      // Confirming means visiting SubscribeURL, which only an operator with access to AWS can vouch
      // for: it is logged (it is not a secret) rather than fetched from inside the control plane.
      this.logger.warn(
        { topicArn: message.topicArn, subscribeUrl: message.subscribeUrl },
        'SNS subscription to confirm',
      );
      return { accepted: 0, subscription: 'pending-confirmation', topicArn: message.topicArn };
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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new FledgeError('INVALID_ARGUMENT', 'the SNS message is not JSON', { reason: 'ALARM_PAYLOAD_INVALID' });
  }
}
