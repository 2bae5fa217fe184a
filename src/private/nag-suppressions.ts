import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

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

/**
 * Writes a suppression once for the whole stack, where cdk-nag also looks (as its
 * `NagSuppressions.addStackSuppressions` does). For suppressions that every instance of a construct
 * would repeat: written per resource they would grow the template with each instance.
 */
export function addStackNagSuppression(scope: IConstruct, id: string, reason: string, appliesTo: NagAppliesTo[]): void {
  const templateOptions = Stack.of(scope).templateOptions;
  const metadata = templateOptions.metadata ?? {};
  const existing: unknown[] = metadata[NAG_METADATA_KEY]?.rules_to_suppress ?? [];
  const rule = { id, reason, ...(appliesTo.length > 0 ? { applies_to: appliesTo } : {}) };
  if (existing.some((r) => JSON.stringify(r) === JSON.stringify(rule))) {
    return;
  }
  templateOptions.metadata = { ...metadata, [NAG_METADATA_KEY]: { ...metadata[NAG_METADATA_KEY], rules_to_suppress: [...existing, rule] } };
}
