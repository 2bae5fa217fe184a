import { Annotations, Duration, Resource, Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { ContainerRecipe, IContainerRecipe } from '../container-recipe';
import { DistributionConfiguration, IDistributionConfiguration } from '../distribution-configuration';
import type { PipelineWorkflow } from '../image-pipeline';
import { IImageRecipe, ImageRecipe } from '../image-recipe';
import { IInfrastructureConfiguration, InfrastructureConfiguration } from '../infrastructure-configuration';
import { ImageArchitecture } from '../parent-image';
import { Platform } from '../platform';
import { Workflow, WorkflowParameterType, WorkflowType } from '../workflow';
import { needsExecutionRole } from './build-log-groups';
import { validationError } from './errors';
import { instanceArchitecture } from './instance-architecture';
import { MANAGED_WORKFLOW_NAMES } from './managed-workflows';
import { IMAGE_BUILDER_SERVICE, requireTrustedBy } from './role-trust';
import { workflowExecutionRole } from './service-roles';
import { inOneStackTree } from './stack-trees';
import { characterCount, validateContainerTags } from './validation';
import { checkWorkflowParameters, isParameterGiven } from './workflow-parameters';

/*
 * What pipelines and deploy-time images share: test timeouts, scanning, workflows, the execution
 * role, the default infrastructure.
 */

/** Image tests may run 60 to 1,440 minutes (ImageTestsConfiguration API reference). */
const TEST_TIMEOUT_MINUTES = { min: 60, max: 1440 };

/** The image tests' timeout: whole minutes in the service's range, and only with the tests on. */
export function validateTestTimeout(scope: IConstruct, testsEnabled: boolean | undefined, timeout: Duration | undefined): void {
  if (timeout === undefined || timeout.isUnresolved()) {
    return;
  }
  // Sent with the tests off, the timeout would be ignored without a word.
  if (testsEnabled === false) {
    throw validationError('imageTestsTimeout applies only when the tests run, got imageTestsEnabled false with imageTestsTimeout ' +
      `${timeout.toHumanString()}; leave imageTestsTimeout out, or turn the tests on`, scope);
  }
  const minutes = timeout.toMinutes({ integral: false });
  if (!Number.isInteger(minutes) || minutes < TEST_TIMEOUT_MINUTES.min || minutes > TEST_TIMEOUT_MINUTES.max) {
    throw validationError(
      `imageTestsTimeout must be whole minutes from ${TEST_TIMEOUT_MINUTES.min} to ${TEST_TIMEOUT_MINUTES.max}, got ${minutes} minutes`, scope);
  }
}

/**
 * Where Image Builder has the build push the copy of a container image that Amazon Inspector scans
 * when no `imageScanningEcrRepository` is given (`EcrConfiguration`, Image Builder API).
 */
const DEFAULT_SCANNING_REPOSITORY = 'image-builder-image-scanning-repository';

/** How an image is scanned: the props of a pipeline or an image. */
export interface ScanningSettings {
  readonly imageScanningEnabled?: boolean;
  readonly imageScanningEcrRepository?: ecr.IRepository;
  readonly imageScanningEcrTags?: string[];
}

/**
 * The scanning configuration, after checking that the ECR settings come with a container recipe
 * and with scanning on (`what` names the construct kind in messages, e.g. `pipelines`).
 */
export function renderScanning(scope: IConstruct, settings: ScanningSettings, containerRecipe: unknown, what: string) {
  const ecrSettings = settings.imageScanningEcrRepository !== undefined || settings.imageScanningEcrTags !== undefined;
  if (ecrSettings && containerRecipe === undefined) {
    throw validationError(`imageScanningEcrRepository and imageScanningEcrTags are only for container ${what}, got an image recipe`, scope);
  }
  if (ecrSettings && settings.imageScanningEnabled !== true && !Token.isUnresolved(settings.imageScanningEnabled)) {
    throw validationError(
      'imageScanningEcrRepository and imageScanningEcrTags need imageScanningEnabled, got ' +
      `${settings.imageScanningEnabled ?? 'none (scanning is off by default)'}`, scope);
  }
  // The service rejects these only when the pipeline or image is created, after the deployment started.
  validateContainerTags(scope, 'imageScanningEcrTags', settings.imageScanningEcrTags);
  return {
    imageScanningEnabled: settings.imageScanningEnabled ?? false,
    ecrConfiguration: ecrSettings ? {
      repositoryName: settings.imageScanningEcrRepository?.repositoryName,
      containerTags: settings.imageScanningEcrTags,
    } : undefined,
  };
}

/** Exactly one recipe: an image recipe or a container recipe (or the `alternative` prop, named in the message, instead). */
export function validateOneRecipe(scope: IConstruct, imageRecipe: unknown, containerRecipe: unknown, alternative?: string): void {
  if ((imageRecipe === undefined) === (containerRecipe === undefined)) {
    const message = alternative
      ? `give imageRecipe, containerRecipe or ${alternative}, exactly one, got ${imageRecipe ? 'both recipes' : 'none'}`
      : `give imageRecipe or containerRecipe, exactly one, got ${imageRecipe ? 'both' : 'neither'}`;
    throw validationError(message, scope);
  }
}

/** The recipe, when it is an image or container recipe created in this app (not an import). */
export function recipeOfApp(recipe: unknown): ImageRecipe | ContainerRecipe | undefined {
  return ImageRecipe.isImageRecipe(recipe) || ContainerRecipe.isContainerRecipe(recipe) ? recipe : undefined;
}

/**
 * Warns when a pipeline or image (`scope`) builds a recipe of this app from another tree of stacks:
 * the recipe's ARN passes through an export, whose value changes with every new version of the
 * recipe, and CloudFormation refuses to change an export another stack imports.
 */
export function warnRecipeInOtherStack(scope: IConstruct, recipe: unknown): void {
  const owned = recipeOfApp(recipe);
  if (owned && !inOneStackTree(scope, owned)) {
    Annotations.of(scope).addWarningV2('cdk-imagebuilder:recipeInOtherStack',
      `the recipe ${owned.node.path} is in another stack, so its ARN is imported through an export; a changed recipe gets a new ` +
      'version, and so a new ARN, which CloudFormation refuses to export while this stack imports the old one, so the recipe\'s ' +
      'stack would fail to deploy the change: put the recipe in this stack (or a stack nested in the same one)');
  }
}

/** WorkflowConfiguration.ParallelGroup (CloudFormation reference); it only applies to test workflows. */
const PARALLEL_GROUP = /^[A-Za-z0-9][A-Za-z0-9-_+#]{0,99}$/;
/** A pipeline takes one build workflow and up to ten test workflows (user guide, pipeline workflows). */
const MAX_WORKFLOWS = { build: 1, test: 10 };

/**
 * Workflows as CloudFormation takes them, after checking each one's settings and parameters.
 *
 * @param containerRecipe the container recipe the pipeline or image builds; undefined for an AMI
 */
export function renderWorkflows(scope: IConstruct, workflows: PipelineWorkflow[] | undefined, containerRecipe: IContainerRecipe | undefined) {
  const containerBuild = containerRecipe !== undefined;
  if (workflows === undefined) {
    return undefined;
  }
  validateWorkflowCounts(scope, workflows);
  workflows.forEach((w, i) => {
    validateParallelGroup(scope, w, i);
    validateWorkflowParameters(scope, w, i);
    validateManagedWorkflowKind(scope, w, i, containerBuild);
    validateContainerBuildSetup(scope, w, i, containerRecipe);
  });
  return workflows.map((w) => {
    // WorkflowConfiguration.Parameters takes at least one parameter: none is no property.
    const parameters = [
      ...Object.entries(w.parameters ?? {}).map(([name, value]) => ({ name, value: [value] })),
      ...Object.entries(w.listParameters ?? {}).map(([name, value]) => ({ name, value })),
    ];
    return {
      workflowArn: w.workflow.workflowArn,
      onFailure: w.onFailure,
      parallelGroup: w.parallelGroup,
      parameters: parameters.length > 0 ? parameters : undefined,
    };
  });
}

/**
 * Warns when a pattern's `workflows` hold no build workflow while all their types are known: the
 * pipeline then skips the build (a test-only pipeline, user guide), so the pattern's components
 * never run.
 */
export function warnWorkflowsWithoutBuild(scope: IConstruct, workflows: PipelineWorkflow[] | undefined, buildWorkflow: string): void {
  if (!workflows || workflows.length === 0 || workflows.some((w) => knownType(w) === undefined || knownType(w) === WorkflowType.BUILD)) {
    return;
  }
  Annotations.of(scope).addWarningV2('cdk-imagebuilder:workflowsWithoutBuild',
    'workflows holds no build workflow, so the pipeline skips the build (a test-only pipeline) and the components never run; ' +
    `put a build workflow first, such as ${buildWorkflow}`);
}

/** An AWS-managed workflow for AMIs in a container build, or the reverse. */
function validateManagedWorkflowKind(scope: IConstruct, w: PipelineWorkflow, index: number, containerBuild: boolean): void {
  const name = w.workflow.workflowName;
  if (Token.isUnresolved(name) || !w.workflow.workflowArn.includes(':aws:workflow/')) {
    return;
  }
  const { ami, container } = MANAGED_WORKFLOW_NAMES;
  const [own, other, kind] = containerBuild ? [container, ami, 'container images'] : [ami, container, 'AMIs'];
  const stage = (Object.keys(other) as Array<keyof typeof other>).find((key) => other[key] === name);
  if (stage !== undefined) {
    throw validationError(`workflows[${index}] must be an AWS-managed workflow for ${kind}, which this builds, got ${name}; use ${own[stage]}`, scope);
  }
}

/** A workflow from `WorkflowData.containerBuildWithSetupCommands` builds container images of its platform alone. */
function validateContainerBuildSetup(scope: IConstruct, w: PipelineWorkflow, index: number, containerRecipe: IContainerRecipe | undefined): void {
  const platform = Workflow.isWorkflow(w.workflow) ? w.workflow._containerBuildPlatform : undefined;
  if (platform === undefined) {
    return;
  }
  if (containerRecipe === undefined) {
    throw validationError(`workflows[${index}] builds container images (WorkflowData.containerBuildWithSetupCommands) and creates no AMI, ` +
      'but this builds an AMI; give it to the pipeline or image of a container recipe', scope);
  }
  if (containerRecipe.platform !== undefined && containerRecipe.platform !== platform) {
    throw validationError(`workflows[${index}] runs its setup commands on ${platform}, got a container recipe of ${containerRecipe.platform}; ` +
      `make the workflow with WorkflowData.containerBuildWithSetupCommands(commands, { platform: Platform.${containerRecipe.platform.toUpperCase()} })`, scope);
  }
}

/** The workflow's type, or `undefined` when it is only known at deployment. */
function knownType(w: PipelineWorkflow): WorkflowType | undefined {
  const type = w.workflow.workflowType;
  return type === undefined || Token.isUnresolved(type) ? undefined : type;
}

function validateWorkflowCounts(scope: IConstruct, workflows: PipelineWorkflow[]): void {
  const build = workflows.filter((w) => knownType(w) === WorkflowType.BUILD).length;
  const test = workflows.filter((w) => knownType(w) === WorkflowType.TEST).length;
  if (build > MAX_WORKFLOWS.build || test > MAX_WORKFLOWS.test) {
    throw validationError(
      `workflows may hold at most ${MAX_WORKFLOWS.build} build workflow and ${MAX_WORKFLOWS.test} test workflows, ` +
      `got ${build} build and ${test} test workflows`, scope);
  }
}

function validateParallelGroup(scope: IConstruct, w: PipelineWorkflow, index: number): void {
  const group = w.parallelGroup;
  if (group === undefined || Token.isUnresolved(group)) {
    return;
  }
  const prop = `workflows[${index}].parallelGroup`;
  if (!PARALLEL_GROUP.test(group)) {
    throw validationError(
      `${prop} must be 1 to 100 letters, digits and - _ + #, starting with a letter or digit, got '${group}'`, scope);
  }
  const type = knownType(w);
  if (type !== undefined && type !== WorkflowType.TEST) {
    throw validationError(`${prop} only applies to test workflows, got '${group}' on a ${type} workflow`, scope);
  }
}

/**
 * Single values go in `parameters` and lists in `listParameters`, each name once; when the document
 * is known, `stringList` parameters must be in `listParameters` and the others in `parameters`.
 */
function validateWorkflowParameters(scope: IConstruct, w: PipelineWorkflow, index: number): void {
  const prop = `workflows[${index}].parameters`;
  const listProp = `workflows[${index}].listParameters`;
  const parameters = w.parameters ?? {};
  const listParameters = w.listParameters ?? {};
  validateParameterText(scope, prop, parameters);
  validateParameterText(scope, listProp, listParameters);
  const both = Object.keys(listParameters).filter((name) => isParameterGiven(parameters, name));
  if (both.length > 0) {
    throw validationError(
      `${prop} and ${listProp} must not set the same parameter, got ${both.map((n) => `'${n}'`).join(', ')} in both`, scope);
  }

  const declared = Workflow.isWorkflow(w.workflow) ? w.workflow.documentParameters : undefined;
  const typeOf = (name: string) => declared?.find((p) => p.name === name)?.parameterType;
  for (const [name, value] of Object.entries(parameters)) {
    const type = Token.isUnresolved(name) ? undefined : typeOf(name);
    if (type === WorkflowParameterType.STRING_LIST) {
      throw validationError(
        `${prop} must be string, integer or boolean parameters of workflow '${w.workflow.node.path}', ` +
        `got '${name}', a stringList; give its values in ${listProp}`, scope);
    }
    const expected = type && !Token.isUnresolved(value) ? PARAMETER_VALUE_FORMS[type] : undefined;
    if (expected && !expected.pattern.test(value)) {
      throw validationError(`${prop} '${name}' must be ${expected.description}, as workflow '${w.workflow.node.path}' declares it ` +
        `${type}, got '${value}'`, scope);
    }
  }
  for (const name of Object.keys(listParameters)) {
    const type = Token.isUnresolved(name) ? undefined : typeOf(name);
    if (type !== undefined && type !== WorkflowParameterType.STRING_LIST) {
      throw validationError(
        `${listProp} must be stringList parameters of workflow '${w.workflow.node.path}', ` +
        `got '${name}', a ${type}; give its value in ${prop}`, scope);
    }
  }
  checkWorkflowParameters(w.workflow, { ...parameters, ...listParameters }, scope,
    w.listParameters ? `${prop} and ${listProp}` : prop);
}

/**
 * The values the service can read as the declared type. It takes every value as a string; these are
 * the widest usual forms of a whole number and a boolean (an optional sign; the spellings of Go's
 * `strconv.ParseBool`), so that no value the service may accept is refused.
 */
const PARAMETER_VALUE_FORMS: Partial<Record<WorkflowParameterType, { pattern: RegExp; description: string }>> = {
  [WorkflowParameterType.INTEGER]: { pattern: /^[+-]?[0-9]+$/, description: 'a whole number' },
  [WorkflowParameterType.BOOLEAN]: { pattern: /^(true|false|TRUE|FALSE|True|False|t|f|T|F|1|0)$/, description: 'true or false' },
};

const MAX_PARAMETER_NAME_LENGTH = 128;

/** `WorkflowParameter`: names of 1 to 128 characters, names and values without NUL; checked even when the document is unknown. */
function validateParameterText(scope: IConstruct, prop: string, given: { [name: string]: string | string[] }): void {
  for (const [name, value] of Object.entries(given)) {
    if (!Token.isUnresolved(name) && (name === '' || characterCount(name) > MAX_PARAMETER_NAME_LENGTH || name.includes('\0'))) {
      throw validationError(`${prop} names must be 1 to ${MAX_PARAMETER_NAME_LENGTH} characters without NUL characters, ` +
        `got ${name.includes('\0') ? `'${name.replace(/\0/g, '\\0')}'` : `a name of ${characterCount(name)} characters`}`, scope);
    }
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => !Token.isUnresolved(v) && v.includes('\0'))) {
      throw validationError(`${prop} values must not contain NUL characters, got one in '${name}'`, scope);
    }
  }
}

/**
 * Lets the instances of `infrastructure` download the files of the components of the recipe that a
 * pipeline or image (`scope`) builds. An infrastructure configuration from outside the app is left
 * as it is, with a warning on `scope`.
 */
export function allowComponentFileReads(scope: IConstruct, recipe: unknown, infrastructure: IInfrastructureConfiguration): void {
  const owned = recipeOfApp(recipe);
  owned?._allowComponentFileReads((component) => {
    const what = `downloading the files of component ${component.node.path}`;
    if (InfrastructureConfiguration.isInfrastructureConfiguration(infrastructure)) {
      infrastructure._allowInstances(what, component._fileReadStatements);
    } else {
      Annotations.of(scope).addWarningV2('cdk-imagebuilder:componentFiles',
        `the infrastructure configuration was not created in this app: let its instance role allow ${what} ` +
        `(${component._fileReadStatements.map((s) => s.actions.join(', ')).join('; ')}) yourself`);
    }
  });
}

/**
 * Where a pipeline or image (`scope`) builds: the infrastructure configuration given, or a new one
 * with the secure defaults. For container builds, an infrastructure configuration created in this
 * app gets pull and push on the recipe's repositories (`allowContainerBuilds`), as a build could
 * not push its image without them, and with `scanning` on, on the repository the build pushes the
 * copy to that Amazon Inspector scans; one from outside the app is left as it is.
 */
export function buildInfrastructure(
  scope: Construct, given: IInfrastructureConfiguration | undefined, containerRecipe: IContainerRecipe | undefined,
  scanning: ScanningSettings = {},
): IInfrastructureConfiguration {
  const infrastructure = given ?? new InfrastructureConfiguration(scope, 'Infrastructure');
  if (!containerRecipe || !InfrastructureConfiguration.isInfrastructureConfiguration(infrastructure)) {
    return infrastructure;
  }
  const owned = ContainerRecipe.isContainerRecipe(containerRecipe) ? containerRecipe : undefined;
  infrastructure._buildsContainers(owned?._publicParentImage);
  const scanningRepository = owned && scanning.imageScanningEnabled !== undefined && scanning.imageScanningEnabled !== false
    ? scanning.imageScanningEcrRepository ?? ecr.Repository.fromRepositoryName(scope, 'ImageScanningRepository', DEFAULT_SCANNING_REPOSITORY)
    : undefined;
  // The pipeline's stack depends on a configuration of another stack; a grant there on a repository
  // created in yet another stack (often the pipeline's) would make that one depend on it: a cycle.
  const elsewhere = Stack.of(infrastructure) === Stack.of(scope) ? [] : [owned?.targetRepository, owned?.parentRepository, scanningRepository]
    .filter((repository): repository is ecr.IRepository =>
      repository !== undefined && Resource.isOwnedResource(repository) && Stack.of(repository) !== Stack.of(infrastructure));
  if (elsewhere.length > 0) {
    Annotations.of(scope).addWarningV2('cdk-imagebuilder:containerBuilds',
      `the infrastructure configuration ${infrastructure.node.path} is in another stack than the repositories of the container recipe ` +
      `(${elsewhere.map((repository) => repository.node.path).join(', ')}), so its instance role is left as it is: ` +
      'call allowContainerBuilds on it where its stack may reference them, or give its role pull and push on them yourself');
    return infrastructure;
  }
  infrastructure.allowContainerBuilds(owned?.targetRepository, owned?.parentRepository, scanningRepository);
  return infrastructure;
}

/** The role a build runs workflows and writes logs as, and the grant the build must wait for. */
export interface ExecutionRoleSetup {
  readonly role?: iam.IRole;
  /**
   * The role's own policy for writing to the log groups: a build that starts when its resource is
   * created (an image, or a pipeline started on deploy) must not start before it exists. A policy
   * of its own, so that the resource waits for nothing that may refer to the resource itself.
   */
  readonly logPolicy?: iam.Policy;
}

/** What writing build logs to a log group takes (as `logs.LogGroup.grantWrite` grants). */
const LOG_WRITE_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];

/**
 * The role Image Builder runs workflows as and writes custom log groups with: the one given, or one
 * created with the managed workflow execution policy when workflows need it or a log group outside
 * `/aws/imagebuilder/` does (created as `ExecutionRole` in `scope`). It may write to the log groups
 * either way, through a policy `ExecutionRoleLogs` in `scope` (which a role from outside the app
 * that takes no policies leaves out of the template).
 */
export function executionRoleFor(
  scope: Construct, given: iam.IRole | undefined, workflows: PipelineWorkflow[] | undefined, logGroups: Array<logs.ILogGroup | undefined>,
): ExecutionRoleSetup {
  const customLogGroups = logGroups.filter((g): g is logs.ILogGroup => g !== undefined);
  requireTrustedBy(scope, 'executionRole', given, IMAGE_BUILDER_SERVICE, 'Image Builder runs workflows and writes build logs as it');
  const role = given ?? (workflows?.length || customLogGroups.some(needsExecutionRole) ? workflowExecutionRole(scope, 'ExecutionRole') : undefined);
  if (!role || customLogGroups.length === 0) {
    return { role };
  }
  const logPolicy = new iam.Policy(scope, 'ExecutionRoleLogs', {
    statements: customLogGroups.map((group) => new iam.PolicyStatement({ actions: LOG_WRITE_ACTIONS, resources: [group.logGroupArn] })),
  });
  role.attachInlinePolicy(logPolicy);
  return { role, logPolicy };
}

/**
 * Fast Launch is for Windows AMIs only (Image Builder API, `Distribution.fastLaunchConfigurations`):
 * with a recipe of another known platform, the distribution would fail at the end of the build.
 * Checked when the app is complete, as the distribution may gain regions later.
 */
export function validateFastLaunchPlatform(
  scope: IConstruct, imageRecipe: IImageRecipe | undefined, distribution: IDistributionConfiguration | undefined): void {
  const platform = imageRecipe?.platform;
  if (!platform || platform === Platform.WINDOWS || !DistributionConfiguration.isDistributionConfiguration(distribution)) {
    return;
  }
  scope.node.addValidation({
    validate: () => {
      const regions = distribution._amiRegions().fastLaunchRegions;
      return regions.length === 0 ? [] : [
        `distributionConfiguration turns Fast Launch on for ${regions.join(', ')}, which is for Windows AMIs only, got a recipe for ${platform}; ` +
        'leave fastLaunchConfigurations out of the distribution of this recipe',
      ];
    },
  });
}

/**
 * A build instance starts from the parent image, so at least one of the instance types must have its
 * architecture: when both are known and none has it, the build could not start, and this fails now.
 */
export function validateInstanceArchitecture(scope: IConstruct, recipe: unknown, infrastructure: IInfrastructureConfiguration): void {
  const architecture = ImageRecipe.isImageRecipe(recipe) ? recipe._architecture : undefined;
  const instanceTypes = InfrastructureConfiguration.isInfrastructureConfiguration(infrastructure) ? infrastructure._instanceTypes : undefined;
  if (!architecture || !instanceTypes || instanceTypes.some((type) => instanceArchitecture(type) !== otherArchitecture(architecture))) {
    return;
  }
  throw validationError(
    `instanceTypes ${instanceTypes.join(', ')} of ${infrastructure.node.path} are all ${otherArchitecture(architecture)}, but the parentImage of ` +
    `${(recipe as ImageRecipe).node.path} is ${architecture}: no build instance could start from it; ` +
    `give ${architecture} instance types, or a parent image for ${otherArchitecture(architecture)}`, scope);
}

function otherArchitecture(architecture: ImageArchitecture): ImageArchitecture {
  return architecture === ImageArchitecture.ARM64 ? ImageArchitecture.X86_64 : ImageArchitecture.ARM64;
}
