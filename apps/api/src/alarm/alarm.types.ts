import { registerEnumType } from '@nestjs/graphql';

import { Connection } from '../common/connection.js';
import { AlarmObject } from '../rollout/rollout.types.js';

export enum AlarmStateEnum {
  FIRING = 'firing',
  RESOLVED = 'resolved',
}
registerEnumType(AlarmStateEnum, { name: 'AlarmState' });

export const AlarmConnection = Connection(AlarmObject, 'Alarm');
