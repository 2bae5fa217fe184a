import { CfnResource } from 'aws-cdk-lib';

/** The metadata key and format that cdk-nag's `NagSuppressions` writes and its rule packs read. */
const NAG_METADATA_KEY = 'cdk_nag';

/** A cdk-nag finding to suppress: the exact finding, or `{ regex: '/.../' }`. */
export type NagAppliesTo = string | { regex: string };

/**
 * Writes a suppression the way cdk-nag's `NagSuppressions` does (cdk-nag is no dependency of this
 * library), keeping suppressions already there, so users can still add their own.
 */
export function addNagSuppression(resource: CfnResource, id: string, reason: string, appliesTo: NagAppliesTo[]): void {
  const existing = resource.getMetadata(NAG_METADATA_KEY)?.rules_to_suppress ?? [];
  resource.addMetadata(NAG_METADATA_KEY, {
    // cdk-nag reads an empty applies_to as "no finding": leave it out for rules without findings.
    rules_to_suppress: [...existing, { id, reason, ...(appliesTo.length > 0 ? { applies_to: appliesTo } : {}) }],
  });
}
