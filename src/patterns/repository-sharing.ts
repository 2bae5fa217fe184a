import { Annotations, CfnResource, Fn, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ECR_PULL_ACTIONS } from '../private/ecr-actions';
import { addNagSuppression } from '../private/nag-suppressions';
import { ShareWithOptions } from '../sharing';

/**
 * Lets the accounts, organizations and organizational units of `options` pull the images of
 * `repository`: container images are shared through the repository's policy, not through RAM.
 * Organizations and units are matched with `aws:PrincipalOrgID` and `aws:PrincipalOrgPaths`.
 * A repository from outside the app keeps its policy, with a warning. cdk-nag's AwsSolutions-ECR1
 * finding on the organization statements is suppressed only on a repository the pattern `scope`
 * created: the rule has no narrower scope, so on a user's repository it would also hide statements
 * of the user's own.
 */
export function shareRepositoryImages(scope: Construct, repository: ecr.IRepository, options: ShareWithOptions): void {
  const statements: iam.PolicyStatement[] = [];
  const accounts = options.accounts ?? [];
  if (accounts.length > 0) {
    statements.push(pullStatement({ principals: accounts.map((account) => new iam.AccountPrincipal(account)) }));
  }
  for (const organizationArn of options.organizationArns ?? []) {
    statements.push(pullStatement({ principals: [new iam.OrganizationPrincipal(arnPart(organizationArn, 1))] }));
  }
  const unitPaths = (options.organizationalUnitArns ?? []).map((arn) => `${arnPart(arn, 1)}/*/${arnPart(arn, 2)}/*`);
  if (unitPaths.length > 0) {
    statements.push(pullStatement({
      principals: [new iam.AnyPrincipal()],
      conditions: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': unitPaths } },
    }));
  }

  const added = statements.map((statement) => repository.addToResourcePolicy(statement).statementAdded);
  if (added.includes(false)) {
    Annotations.of(scope).addWarningV2('cdk-imagebuilder:repositorySharing',
      `repository ${repository.repositoryName} was not created in this app, so its policy is left as it is: ` +
      `let the accounts and organizations of shareWith pull from it (${ECR_PULL_ACTIONS.join(', ')}) yourself`);
  }
  const organizationWide = (options.organizationArns ?? []).length + unitPaths.length > 0;
  const resource = repository.node.defaultChild;
  const createdHere = repository.node.scope === scope;
  if (createdHere && organizationWide && added.includes(true) && resource instanceof CfnResource) {
    addNagSuppression(resource, 'AwsSolutions-ECR1',
      'The pull statements for organizations and organizational units name every principal (*) and limit it with ' +
      'aws:PrincipalOrgID or aws:PrincipalOrgPaths, so only the accounts of those organizations can pull', []);
  }
}

function pullStatement(props: { principals: iam.IPrincipal[]; conditions?: { [key: string]: unknown } }): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions: ECR_PULL_ACTIONS, ...props });
}

/**
 * Part `index` of an organization or unit ARN split at `/`: 1 is the organization ID, 2 the unit
 * ID (`arn:aws:organizations::111122223333:ou/o-abc/ou-ab12-cdef3456`).
 */
function arnPart(arn: string, index: number): string {
  return Token.isUnresolved(arn) ? Fn.select(index, Fn.split('/', arn)) : arn.split('/')[index];
}
