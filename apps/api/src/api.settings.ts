import { type SageMakerOptionDefaults } from '@fledge/domain';
import { type GraphqlLimits } from './graphql/query-limits.js';

/** The API's own settings, taken from its validated configuration at boot. */
export interface ApiSettings {
  maxUploadBytes: number;
  graphql: GraphqlLimits;
  bootstrapAdminKey: string | null;
  /** Data plane of the local serving runtime, for endpoints' inference URLs. */
  servingUrl: string | null;
  /** Region, execution role and image of new SageMaker endpoints that name none. */
  sagemakerDefaults?: SageMakerOptionDefaults;
}
