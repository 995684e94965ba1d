export { startStandalone, type Standalone, type StandaloneConfigs } from './standalone.js';
