import { CfnResource, IResolvable, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { escapeRegex } from './validation';

/** The metadata key and format that cdk-nag's `NagSuppressions` writes and its rule packs read. */
const NAG_METADATA_KEY = 'cdk_nag';

/** A cdk-nag finding to suppress: the exact finding, or `{ regex: '/.../' }`. */
export type NagAppliesTo = string | { regex: string };

/**
 * The suppressions of one resource as cdk-nag reads them, `rules_to_suppress`, while its rule
 * packs run in the app. This library's own are kept out of the template: CloudFormation ignores
 * metadata, cdk-nag reads it before the template is written (its reports list suppressed findings
 * with their reasons), and the template of every build instance role would otherwise carry half a
 * kilobyte that nothing reads. Suppressions written before by others (cdk-nag's own
 * `NagSuppressions`) stay in the template.
 */
class LibraryNagSuppressions implements IResolvable {
  public readonly creationStack: string[] = [];

  public constructor(private readonly written: readonly unknown[], public readonly own: unknown[]) {}

  // eslint-disable-next-line @typescript-eslint/naming-convention
  public get rules_to_suppress(): unknown[] {
    return [...this.written, ...this.own];
  }

  public resolve(): unknown {
    return this.written.length > 0 ? { rules_to_suppress: this.written } : undefined;
  }

  public toString(): string {
    return Token.asString(this);
  }
}

/**
 * Adds a suppression that cdk-nag's rule packs honour as they do those of its `NagSuppressions`
 * (cdk-nag is no dependency of this library), keeping suppressions already there, so users can
 * still add their own.
 */
export function addNagSuppression(resource: CfnResource, id: string, reason: string, appliesTo: NagAppliesTo[]): void {
  const metadata = resource.getMetadata(NAG_METADATA_KEY);
  const suppressions = metadata instanceof LibraryNagSuppressions
    ? metadata : new LibraryNagSuppressions(metadata?.rules_to_suppress ?? [], []);
  // cdk-nag reads an empty applies_to as "no finding": leave it out for rules without findings.
  const suppression = { id, reason, ...(appliesTo.length > 0 ? { applies_to: appliesTo } : {}) };
  // The same grant made twice suppresses once, as cdk-nag's own NagSuppressions does.
  if (suppressions.rules_to_suppress.some((other) => JSON.stringify(other) === JSON.stringify(suppression))) {
    return;
  }
  suppressions.own.push(suppression);
  resource.addMetadata(NAG_METADATA_KEY, suppressions);
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
