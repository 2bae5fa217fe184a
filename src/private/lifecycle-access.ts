import { Annotations, Resource, Tags } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { IConstruct } from 'constructs';
import { ContainerRecipe, IContainerRecipe } from '../container-recipe';

/**
 * The tag an ECR repository needs before Image Builder may get and delete its images as a role
 * with the AWS-managed `EC2ImageBuilderLifecycleExecutionPolicy`, whose ECR statement allows
 * `ecr:BatchGetImage` and `ecr:BatchDeleteImage` only with `ecr:ResourceTag/LifecycleExecutionAccess`
 * `EC2 Image Builder` (user guide, "Lifecycle management prerequisites").
 */
export const LIFECYCLE_ACCESS_TAG_KEY = 'LifecycleExecutionAccess';
export const LIFECYCLE_ACCESS_TAG_VALUE = 'EC2 Image Builder';

/**
 * Lets Image Builder delete images from `repository`: a repository this app created gets the tag;
 * for any other, `scope` gets a warning that names the tag. `what` says what deletes the images,
 * e.g. `includeContainers`.
 */
export function allowLifecycleAccess(scope: IConstruct, repository: ecr.IRepository, what: string): void {
  if (Resource.isOwnedResource(repository)) {
    Tags.of(repository).add(LIFECYCLE_ACCESS_TAG_KEY, LIFECYCLE_ACCESS_TAG_VALUE);
    return;
  }
  Annotations.of(scope).addWarningV2('cdk-imagebuilder:lifecycleRepositoryTag',
    `${what} deletes images from ${repository.repositoryName} only if that repository has the tag ` +
    `${LIFECYCLE_ACCESS_TAG_KEY}: ${LIFECYCLE_ACCESS_TAG_VALUE}; this app did not create it, so add the tag where it is managed`);
}

/**
 * The AWS-managed lifecycle execution policy lets Image Builder get and delete container images
 * only in ECR repositories with the tag `LifecycleExecutionAccess: EC2 Image Builder`: the
 * recipe's target repository gets it when this app created it; otherwise a warning on `scope`
 * names the tag. `what` is the prop that deletes the images.
 */
export function allowContainerDeletion(scope: IConstruct, recipe: IContainerRecipe, what: string): void {
  if (ContainerRecipe.isContainerRecipe(recipe)) {
    allowLifecycleAccess(scope, recipe.targetRepository, what);
    return;
  }
  warnUnknownRepositories(scope, what, 'the target repository of the imported container recipe');
}

/**
 * Warns on `scope` that `what` deletes images from `repositories`, which this app does not know,
 * only once they have the tag the service needs.
 */
export function warnUnknownRepositories(scope: IConstruct, what: string, repositories: string): void {
  Annotations.of(scope).addWarningV2('cdk-imagebuilder:lifecycleRepositoryTag',
    `${what} deletes images from ${repositories} only where the repository has the tag ` +
    `${LIFECYCLE_ACCESS_TAG_KEY}: ${LIFECYCLE_ACCESS_TAG_VALUE}; this app does not know the repository, so add the tag where it is managed`);
}
