import { App } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';

/**
 * The app of an integration test. Construct creation stacks are left out of the cloud assembly:
 * they hold absolute source paths and line numbers, so every source edit would rewrite the
 * committed snapshots without changing a template.
 */
export function integApp(): App {
  return new App({ context: { [cxapi.DISABLE_CREATION_STACK_TRACES]: true } });
}
