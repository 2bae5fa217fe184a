import { CfnResource, Stack, Token } from 'aws-cdk-lib';
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
  const existing: unknown[] = resource.getMetadata(NAG_METADATA_KEY)?.rules_to_suppress ?? [];
  // cdk-nag reads an empty applies_to as "no finding": leave it out for rules without findings.
  const suppression = { id, reason, ...(appliesTo.length > 0 ? { applies_to: appliesTo } : {}) };
  // The same grant made twice suppresses once, as cdk-nag's own NagSuppressions does.
  if (existing.some((other) => JSON.stringify(other) === JSON.stringify(suppression))) {
    return;
  }
  resource.addMetadata(NAG_METADATA_KEY, { rules_to_suppress: [...existing, suppression] });
}

/**
 * A regex source that matches `arn`, the ARN of `resource`, as cdk-nag writes it in a finding on a
 * policy of `scope`'s stack, so that a suppression covers that resource only. A resource of another
 * stack reaches this one through an export or a parameter whose name holds its logical ID.
 */
export function nagFindingPattern(scope: IConstruct, resource: IConstruct, arn: string): string {
  const cfn = resource.node.defaultChild;
  if (cfn instanceof CfnResource && Stack.of(cfn) !== Stack.of(scope)) {
    return `.*${escapeRegex(Stack.of(cfn).resolve(cfn.logicalId))}.*`;
  }
  return escapeRegex(nagResourceFinding(scope, arn));
}

/** Text in a suppression pattern, such as a key prefix: any text when it is known only at deploy time. */
export function nagTextPattern(text: string): string {
  return Token.isUnresolved(text) ? '.*' : escapeRegex(text);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * How cdk-nag writes a resource of a policy statement in a finding (`Resource::<finding>`): the
 * resolved value with `Fn::Join` joined, `Fn::GetAtt` as `<Logical.Attribute>`, `Ref` as
 * `<Logical>` and `Fn::ImportValue` as its export name. Resolved when called: a logical ID
 * overridden later no longer matches, and the finding is then reported rather than hidden.
 */
function nagResourceFinding(scope: IConstruct, resource: string): string {
  const visit = (node: any): string => {
    if (node === undefined) {
      return '';
    }
    if (typeof node === 'string') {
      return node.replace(/\$\{/g, '<').replace(/}/g, '>');
    }
    if (node['Fn::Join']) {
      const [delimiter, items] = node['Fn::Join'];
      return items.map(visit).join(delimiter);
    }
    if (node['Fn::Sub']) {
      return visit(node['Fn::Sub']);
    }
    if (node['Fn::GetAtt']) {
      const [logicalId, attribute] = node['Fn::GetAtt'];
      return `<${visit(logicalId)}.${visit(attribute)}>`;
    }
    if (node['Fn::ImportValue']) {
      return visit(node['Fn::ImportValue']);
    }
    if (node.Ref) {
      return `<${visit(node.Ref)}>`;
    }
    return JSON.stringify(node);
  };
  return visit(Stack.of(scope).resolve(resource));
}
