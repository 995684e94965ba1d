// The one swc configuration for TypeScript run from source (Jest and scripts/ts-hooks.mjs); the
// builds read the same settings from .swcrc.
export const swcSourceOptions = {
  swcrc: false,
  sourceMaps: 'inline',
  module: { type: 'es6' },
  jsc: {
    target: 'es2023',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
  },
};
