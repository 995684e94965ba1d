import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';

export const PUBLIC = 'fledge:public';

export const Public = () => SetMetadata(PUBLIC, true);

export const ALERTS_ALLOWED = 'fledge:alerts-allowed';

/** Operations a key of the `alerts` role may call (raising alarms); every other one refuses it. */
export const AlertsAllowed = () => SetMetadata(ALERTS_ALLOWED, true);

export interface RequestWithActor {
  id?: string | number;
  headers: Record<string, string | string[] | undefined>;
  actor?: import('./role.js').Actor;
}

export function requestOf(context: ExecutionContext): RequestWithActor {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req: RequestWithActor }>().req;
  }
  return context.switchToHttp().getRequest<RequestWithActor>();
}

/** The authenticated caller and the request id, for services that authorize and audit. */
export interface CallContext {
  actor: import('./role.js').Actor;
  requestId: string | null;
}

export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): CallContext => {
  const req = requestOf(context);
  if (!req.actor) throw new Error('Caller used on an operation without authentication');
  return { actor: req.actor, requestId: req.id === undefined ? null : String(req.id) };
});
