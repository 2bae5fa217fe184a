import { Duration } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { ContainerRecipe, IContainerRecipe } from '../container-recipe';
import type { PipelineWorkflow } from '../image-pipeline';
import { IInfrastructureConfiguration, InfrastructureConfiguration } from '../infrastructure-configuration';
import { checkWorkflowParameters } from '../workflow';
import { validationError } from './errors';

/*
 * What pipelines and deploy-time images share: test timeouts, workflows, the default infrastructure.
 */

/** Image tests may run 60 to 1,440 minutes (ImageTestsConfiguration API reference). */
const TEST_TIMEOUT_MINUTES = { min: 60, max: 1440 };

export function validateTestTimeout(scope: IConstruct, timeout: Duration | undefined): void {
  if (timeout === undefined || timeout.isUnresolved()) {
    return;
  }
  const minutes = timeout.toMinutes({ integral: false });
  if (!Number.isInteger(minutes) || minutes < TEST_TIMEOUT_MINUTES.min || minutes > TEST_TIMEOUT_MINUTES.max) {
    throw validationError(
      `imageTestsTimeout must be whole minutes from ${TEST_TIMEOUT_MINUTES.min} to ${TEST_TIMEOUT_MINUTES.max}, got ${minutes} minutes`, scope);
  }
}

/** Exactly one recipe: an image recipe or a container recipe. */
export function validateOneRecipe(scope: IConstruct, imageRecipe: unknown, containerRecipe: unknown): void {
  if ((imageRecipe === undefined) === (containerRecipe === undefined)) {
    throw validationError(`give imageRecipe or containerRecipe, exactly one, got ${imageRecipe ? 'both' : 'neither'}`, scope);
  }
}

/** Workflows as CloudFormation takes them, after checking each one's parameters against its document. */
export function renderWorkflows(scope: IConstruct, workflows: PipelineWorkflow[] | undefined) {
  workflows?.forEach((w, i) => checkWorkflowParameters(w.workflow, w.parameters ?? {}, scope, `workflows[${i}].parameters`));
  return workflows?.map((w) => ({
    workflowArn: w.workflow.workflowArn,
    onFailure: w.onFailure,
    parallelGroup: w.parallelGroup,
    parameters: w.parameters ? Object.entries(w.parameters).map(([name, value]) => ({ name, value: [value] })) : undefined,
  }));
}

/** A secure default infrastructure; for container builds, with push access to the target repository. */
export function defaultInfrastructure(scope: Construct, containerRecipe: IContainerRecipe | undefined): IInfrastructureConfiguration {
  const infrastructure = new InfrastructureConfiguration(scope, 'Infrastructure');
  if (containerRecipe) {
    const owned = ContainerRecipe.isContainerRecipe(containerRecipe) ? containerRecipe : undefined;
    infrastructure.allowContainerBuilds(owned?.targetRepository, owned?.parentRepository);
  }
  return infrastructure;
}
