import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { ALERTS_ALLOWED, PUBLIC, requestOf } from './auth.decorators.js';
import { AuthService } from './auth.service.js';
import { assertRole } from './role.js';

/**
 * Authenticates every request by its API key (all operations but @Public ones need one) and keeps
 * `alerts` keys to the operations marked @AlertsAllowed. Roles are checked by the services, the
 * one place every transport goes through.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const req = requestOf(context);
    req.actor ??= (await this.auth.authenticate(req.headers.authorization)) ?? undefined;
    const alertsAllowed = this.reflector.getAllAndOverride<boolean>(ALERTS_ALLOWED, targets);
    assertRole(req.actor ?? null, alertsAllowed ? ['viewer', 'alerts'] : 'viewer', context.getHandler().name);
    return true;
  }
}
