import { Annotations, CfnResource } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import { ECR_PULL_ACTIONS } from '../private/ecr-actions';
import { addNagSuppression } from '../private/nag-suppressions';
import { statementsAllowing } from '../private/policy-principals';
import { shownValue } from '../private/validation';
import { ShareWithOptions } from '../sharing';

/**
 * Lets the accounts, organizations and organizational units of `options` pull the images of
 * `repository`: container images are shared through the repository's policy, not through RAM.
 * Organizations and units are matched with `aws:PrincipalOrgID` and `aws:PrincipalOrgPaths`.
 * A repository from outside the app (or of another region, `region`) keeps its policy, with a warning. cdk-nag's AwsSolutions-ECR1
 * finding on the organization statements is suppressed only on a repository the pattern `scope`
 * created: the rule has no narrower scope, so on a user's repository it would also hide statements
 * of the user's own.
 */
export function shareRepositoryImages(scope: Construct, repository: ecr.IRepository, options: ShareWithOptions, region?: string): void {
  const statements = statementsAllowing(options, ECR_PULL_ACTIONS);
  const added = statements.map((statement) => repository.addToResourcePolicy(statement).statementAdded);
  if (added.includes(false)) {
    const which = region === undefined
      ? `repository ${repository.repositoryName} was not created in this app`
      : `the repository of the same name in ${shownValue(region)} is not one this stack can change`;
    Annotations.of(scope).addWarningV2(`cdk-imagebuilder:repositorySharing${region === undefined ? '' : 'OtherRegion'}`,
      `${which}, so its policy is left as it is: let the accounts and organizations of shareWith pull from it ` +
      `(${ECR_PULL_ACTIONS.join(', ')}) yourself`);
  }
  const organizationWide = (options.organizationArns ?? []).length + (options.organizationalUnitArns ?? []).length > 0;
  const resource = repository.node.defaultChild;
  const createdHere = repository.node.scope === scope;
  if (createdHere && organizationWide && added.includes(true) && resource instanceof CfnResource) {
    addNagSuppression(resource, 'AwsSolutions-ECR1',
      'The pull statements for organizations and organizational units name every principal (*) and limit it with ' +
      'aws:PrincipalOrgID or aws:PrincipalOrgPaths, so only the accounts of those organizations can pull', []);
  }
}
