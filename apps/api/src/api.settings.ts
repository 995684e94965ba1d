import { type SageMakerOptionDefaults } from '@fledge/domain';

/** The API's own settings, taken from its validated configuration at boot. */
export interface ApiSettings {
  maxUploadBytes: number;
  graphqlMaxDepth: number;
  graphqlMaxComplexity: number;
  bootstrapAdminKey: string | null;
  /** Data plane of the local serving runtime, for endpoints' inference URLs. */
  servingUrl: string | null;
  /** Region, execution role and image of new SageMaker endpoints that name none. */
  sagemakerDefaults?: SageMakerOptionDefaults;
}
