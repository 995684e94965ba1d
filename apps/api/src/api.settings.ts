/** The API's own settings, taken from its validated configuration at boot. */
export interface ApiSettings {
  maxUploadBytes: number;
  graphqlMaxDepth: number;
  graphqlMaxComplexity: number;
  bootstrapAdminKey: string | null;
}
