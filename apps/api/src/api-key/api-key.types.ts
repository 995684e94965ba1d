import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';

import { Role } from '../auth/role.js';

export enum RoleEnum {
  VIEWER = 'viewer',
  SCIENTIST = 'scientist',
  ENGINEER = 'engineer',
  ADMIN = 'admin',
  ALERTS = 'alerts',
}
registerEnumType(RoleEnum, {
  name: 'Role',
  description:
    'viewer reads; scientist also registers models, datasets and evaluations; engineer also manages endpoints and rollouts; admin manages keys; alerts may only raise alarms (webhooks, raiseAlarm).',
});

@ObjectType('ApiKey')
export class ApiKeyObject {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => RoleEnum)
  role!: Role;

  @Field({ description: 'Public part of the key, to recognise it in lists.' })
  lookupId!: string;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  lastUsedAt!: Date | null;
}

@ObjectType('CreatedApiKey')
export class CreatedApiKeyObject {
  @Field(() => ApiKeyObject)
  apiKey!: ApiKeyObject;

  @Field({ description: 'The whole key. Shown once; only its hash is stored.' })
  secret!: string;
}

@InputType()
export class CreateApiKeyInput {
  @Field()
  name!: string;

  @Field(() => RoleEnum)
  role!: Role;
}

@ObjectType('Viewer')
export class ViewerObject {
  @Field(() => ID, { description: "The caller's API key id (what the audit trail records)." })
  id!: string;

  @Field()
  name!: string;

  @Field(() => RoleEnum)
  role!: Role;
}
